def h(a, b=1):
    return a


h(1, 2, 3)
