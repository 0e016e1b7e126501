data = [(1, ("a", "b")), (2, ("c", "d"))]
for n, (x, y) in data:
    print(n, x, y)
(a, b), c = "xy", 3
print(a, b, c)
[p, q] = [1, 2]
print(p, q)
