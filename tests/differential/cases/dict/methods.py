d = {"a": 1, "b": 2, "c": 3}
print(d.pop("a"), d.pop("zz", "dflt"), d.setdefault("d", 4), d.setdefault("b", 99), d)
print(d.popitem(), d)
e = d.copy()
e["new"] = 1
print(d, e)
d.clear()
print(d, len(d))
