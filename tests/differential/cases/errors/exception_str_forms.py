for e in [ValueError(), ValueError("m"), ValueError("a", "b"), KeyError("k"), KeyError(1), IndexError("i"), ZeroDivisionError("z"), RuntimeError(["x"])]:
    print(str(e), e.args)
