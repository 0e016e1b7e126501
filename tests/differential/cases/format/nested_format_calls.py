rows = [("a", 1.5), ("bb", 22.25)]
w = max(len(r[0]) for r in rows)
for name, val in rows:
    print("{:<{w}} = {:>8.3f}".format(name, val, w=w))
