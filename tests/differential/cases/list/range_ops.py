print(list(range(5)), list(range(2, 8, 2)), list(range(10, 0, -3)), list(range(0)), list(range(5, 2)))
r = range(1, 20, 3)
print(len(r), r[2], r[-1], 7 in r, 8 in r, list(r[1:4]), r.index(10) if 10 in r else -1)
print(range(3), range(1, 5), range(1, 10, 2), sum(range(101)), max(range(7)))
