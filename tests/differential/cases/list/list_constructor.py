print(list(), list("ab"), list((1, 2)), list({"x": 1, "y": 2}), list(range(3)), list([1, [2]]))
