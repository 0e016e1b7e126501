a = list("abcdef")
a[1:3] = "XY"
a[-1:] = []
del a[::2]
print(a)
b = [1, 2, 3]
b[1:1] = [9, 9]
print(b)
