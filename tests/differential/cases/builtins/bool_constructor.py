print(bool(), bool(0), bool(1), bool(""), bool(" "), bool([]), bool([0]), bool(None), bool(0.0), bool("False"))
