first, *rest = [1, 2, 3, 4]
*init, last = "abcd"
a, *mid, z = (1, 2)
print(first, rest, init, last, a, mid, z)
x, (y, w) = 1, (2, 3)
print(x, y, w)
