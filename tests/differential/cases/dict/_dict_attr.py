d = _dict(a=1)
d.b = 2
print(d.a, d.b, d.c, d["a"], d.get("b"), sorted(d.keys()), d)
del d.a
print(d)
