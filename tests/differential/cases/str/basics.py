s = "Hello, World"
print(len(s), s[0], s[-1], s[7:], s[:5], s[::-1], s[1:10:2], s[-5:-1])
print(s.lower(), s.upper(), s.title(), s.swapcase(), s.capitalize())
print("a" + "b" * 3, "ab" * 0, "-" * -1 + "|", "x" in s, "World" in s, "world" not in s)
