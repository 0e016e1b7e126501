n = float('nan')
i = float('inf')
print(n == n, n < 1, n > 1, i > 10 ** 100, -i < -10 ** 100, i - i, i * 0)
print(str(n), repr(i), abs(-i))
