it = iter([1, 2, 3])
print(next(it), next(it), next(it), next(it, "end"))
g = iter("ab")
print(next(g), list(g), list(g))
