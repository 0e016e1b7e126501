a = [0] * 3
b = [[0] * 2 for _ in range(2)]
b[0][0] = 1
print(a, b, [1, 2] + [3], a * 0, [] * 5)
a += [1]
a *= 2
print(a)
