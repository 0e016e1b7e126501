e = ValueError("a", 1)
print(e.args, str(e), str(ValueError()), str(ValueError("x")), str(KeyError("x")), str(KeyError()))
