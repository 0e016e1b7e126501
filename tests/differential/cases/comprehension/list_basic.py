print([x * 2 for x in range(5)], [x for x in range(10) if x % 3 == 0], [c.upper() for c in "abc"])
print([(x, y) for x in range(3) for y in range(x)], [x for row in [[1, 2], [3]] for x in row])
print([[y for y in range(x)] for x in range(3)], [x if x % 2 else -x for x in range(5)])
