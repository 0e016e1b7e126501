def h(a, b):
    return a


h(1, a=2)
