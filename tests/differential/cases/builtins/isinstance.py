vals = [1, 1.5, "s", [1], (1,), {"a": 1}, {1}, None, True, _dict()]
for v in vals:
    print(repr(v), isinstance(v, int), isinstance(v, float), isinstance(v, str), isinstance(v, (list, tuple)), isinstance(v, dict), isinstance(v, bool))
