def h(a, b):
    return a


print(h(1, 2))
h(1)
