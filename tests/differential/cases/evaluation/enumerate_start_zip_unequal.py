print(list(enumerate(["x", "y"], 5)), list(zip("abc", [1])), list(zip([], [1])), dict(zip(["k1", "k2"], [1, 2, 3])))
