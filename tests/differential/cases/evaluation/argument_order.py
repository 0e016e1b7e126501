order = []


def a(x):
    order.append(x)
    return x


def f(*args, **kw):
    return args, sorted(kw)


print(f(a(1), a(2), k=a(3), j=a(4)), order)
