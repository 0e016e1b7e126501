def steps(n):
    c = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        c += 1
    return c


print([steps(n) for n in range(1, 15)], max(range(1, 200), key=steps))
