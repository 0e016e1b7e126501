print("-".join(["a", "b"]))
"-".join(["a", 1])
