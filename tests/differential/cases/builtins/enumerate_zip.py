for i, (a, b) in enumerate(zip("xyz", [1, 2, 3]), 10):
    print(i, a, b)
print(list(zip([1, 2], [3, 4], [5, 6])), list(zip("abc", range(2))), dict(enumerate("ab")))
