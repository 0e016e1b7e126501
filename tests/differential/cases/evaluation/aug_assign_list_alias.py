a = [1]
b = a
b += [2]
t = (1,)
u = t
u += (2,)
print(a, b, t, u)
