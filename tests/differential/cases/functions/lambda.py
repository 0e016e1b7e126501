sq = lambda v: v * v
pair = lambda a, b=2: (a, b)
print(sq(7), pair(1), pair(1, 3), (lambda: "nothing")(), list(map(lambda s: s[::-1], ["ab", "cd"])))
