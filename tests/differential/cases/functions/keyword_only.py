def g(x, *, y, z=0):
    return x + y + z


print(g(1, y=2), g(1, y=2, z=3))
print(g(1, 2))
