votes = ["x", "y", "x", "z", "x", "y"]
tally = {}
for v in votes:
    tally[v] = tally.get(v, 0) + 1
ranking = sorted(tally, key=lambda k: (-tally[k], k))
print(tally, ranking, ranking[0])
