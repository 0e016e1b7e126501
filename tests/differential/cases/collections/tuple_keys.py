dist = {}
for a in range(3):
    for b in range(3):
        dist[(a, b)] = abs(a - b)
print(dist[(0, 2)], max(dist.values()), sorted(k for k, v in dist.items() if v == 2))
