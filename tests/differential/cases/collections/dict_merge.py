a = {"x": 1, "y": 2}
b = {"y": 20, "z": 30}
c = dict(a)
c.update(b)
print(c, {**a, **b}, {**b, **a}, a | b if False else "skip")
