print(repr(1), repr("a"), repr([1, "a"]), repr(None), repr(1.0), repr((1, "x")), repr({"a": [1.5]}), repr(True))
