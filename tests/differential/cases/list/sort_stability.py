rows = [("a", 3), ("b", 1), ("c", 3), ("d", 2), ("e", 1)]
print(sorted(rows, key=lambda r: r[1]))
print(sorted(rows, key=lambda r: r[1], reverse=True))
rows.sort(key=lambda r: (-r[1], r[0]))
print(rows)
