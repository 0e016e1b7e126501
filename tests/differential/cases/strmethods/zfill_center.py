print("7".zfill(3), "+7".zfill(4), "abc".zfill(2), "x".center(4), "x".center(5, "*"), "ab".center(5, "-"), "abc".ljust(6, "0"))
