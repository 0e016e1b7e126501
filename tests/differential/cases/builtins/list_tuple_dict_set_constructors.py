print(list((1, 2)), tuple([3]), dict([["a", 1]]), set([1, 1]), list({}), tuple(), dict(), list("x"), tuple(range(3)))
