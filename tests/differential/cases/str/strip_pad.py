print("  hi  ".strip() + "|", "xxhixx".strip("x"), "  hi".lstrip(), "hi  ".rstrip() + "|", "abcba".strip("ab"))
print("42".zfill(5), "-42".zfill(5), "ab".center(6, "*"), "ab".ljust(5, ".") + "|", "ab".rjust(5) + "|", "abc".center(2))
