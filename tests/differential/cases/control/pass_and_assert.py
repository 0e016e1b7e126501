if True:
    pass
assert 1 + 1 == 2
assert isinstance(3, int), "not int"
print("ok")
assert 1 > 2, "one is not greater"
