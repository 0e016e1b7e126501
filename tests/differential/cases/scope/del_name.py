a = 1
b = 2
del a
print(b)
print(a)
