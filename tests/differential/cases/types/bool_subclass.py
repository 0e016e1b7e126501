print(True + 1, True == 1, isinstance(True, int), [True, 1, 1.0].count(1), {True: "a", 1: "b"}, sum([True] * 3), True & False, True | False, True ^ True, -True)
