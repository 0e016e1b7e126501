for v in [0, 1, -1, 0.0, 0.1, "", "a", [], [0], (), (0,), {}, {"": 0}, None, True, False, range(0), range(1), set(), 2 ** 100, 0 * 2 ** 100]:
    print(repr(v), bool(v), "T" if v else "F")
