a = []
for i, pos in enumerate([0, 0, 1, -1, 10, -10]):
    a.insert(pos, i)
print(a)
