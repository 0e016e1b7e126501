print(str(b"x") if False else "skip", "abc".isascii(), "é".isascii())
