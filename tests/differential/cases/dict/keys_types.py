d = {1: "int", 1.5: "float", "1": "str", (1, 2): "tuple", True: "bool", None: "none"}
print(d)
print(d[1], d[1.0], d[(1, 2)], d[None], 1 in d, 2 in d)
print({0: "a", False: "b"}, {1: "x", 1.0: "y"})
