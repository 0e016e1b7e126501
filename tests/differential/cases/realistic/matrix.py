m = [[1, 2, 3], [4, 5, 6]]
t = [[row[i] for row in m] for i in range(3)]
print(t, [sum(r) for r in m], [sum(c) for c in t])
flat = [x for row in m for x in row]
print(flat, max(flat), flat.index(5))
