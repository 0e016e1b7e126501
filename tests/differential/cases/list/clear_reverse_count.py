a = [1, 2, 1, 3, 1]
print(a.count(1), a.index(3))
a.reverse()
print(a)
a.clear()
print(a, len(a))
