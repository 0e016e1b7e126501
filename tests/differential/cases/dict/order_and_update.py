d = {}
for k in ["z", "a", "m", "a", "b"]:
    d[k] = d.get(k, 0) + 1
print(d)
d.update({"y": 9, "z": 0})
d.update(q=1)
d.update([("r", 2)])
print(d)
print(dict(a=1, b=2), dict([("x", 1)]), dict({"k": "v"}, extra=1), dict(zip("ab", [1, 2])))
