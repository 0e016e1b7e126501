def f(*args, **kwargs):
    return len(args), sorted(kwargs)


print(f(), f(1, 2), f(a=1), f(1, b=2, c=3))
