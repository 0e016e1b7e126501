s = "x" * 1000
print(len(s), s[:10], len(s.split("x")), len(s + s), ("ab" * 500).count("ab"))
