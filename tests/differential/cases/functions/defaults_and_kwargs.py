def f(a, b=2, *args, c=3, **kw):
    return (a, b, args, c, sorted(kw.items()))


print(f(1))
print(f(1, 5, 6, 7, c=8, x=9, y=10))
print(f(*[1, 2, 3]), f(**{"a": 1, "c": 4}), f(1, *(2,), **{"z": 0}))
