a = list(range(6))
a[::2] = [1, 2]
