pairs = [(1, "b"), (0, "z"), (1, "a")]
print(sorted(pairs), max(pairs), min(pairs), (1, 2) > (1,), (2,) > (1, 5))
