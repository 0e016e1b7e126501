x = None
print(x is None, x == None, x is not None, [x], str(x), repr(x), x or "fallback", bool(x))
print(x.attr)
