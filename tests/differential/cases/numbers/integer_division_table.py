for a in [10, -10, 3]:
    print([a // b for b in [3, -3, 7]], [a % b for b in [3, -3, 7]], [divmod(a, b) for b in [4, -4]])
