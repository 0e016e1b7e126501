d = _dict(a=1)
print(getattr(d, "a"), getattr(d, "zz", "dflt"), hasattr("s", "upper"), hasattr("s", "nope"), hasattr([], "append"))
print(getattr("abc", "upper")(), callable(len), callable(5), callable(lambda: 1), callable("x".upper))
