def h(a):
    return a


h(a=1, b=2)
