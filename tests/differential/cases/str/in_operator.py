print("" in "abc", "bc" in "abc", "cb" in "abc", 1 in [1, 2], "a" in {"a": 1}, 3 in (1, 2))
