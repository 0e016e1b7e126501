def f(a, b, c):
    return a + b + c


args = [1, 2]
kw = {"c": 3}
print(f(*args, **kw), f(*"abc"), f(1, *[2], c=3), f(**{"a": 1, "b": 2, "c": 3}))
