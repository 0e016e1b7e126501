f = frozenset([1, 2, 2])
print(len(f), 1 in f, sorted(f), f == frozenset({1, 2}), sorted(f | {3}))
