a = list(range(10))
a[2:5] = ["x", "y"]
print(a)
a[::3] = [0, 0, 0]
print(a)
del a[0]
del a[1:3]
print(a)
a[:] = []
print(a)
