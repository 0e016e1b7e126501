print("a,b,,c".split(","), "a b  c ".split(), "  x  ".split(" "), "a-b-c".split("-", 1))
print("a,b,c".rsplit(",", 1), "line1\nline2\r\nline3".splitlines(), "".split(","), "".split())
print(",".join(["x", "y", "z"]), "".join([]), " | ".join(str(i) for i in range(4)))
print("a\tb".expandtabs(4), "k=v".partition("="), "k=v=w".rpartition("="), "none".partition("="))
