a = [1, "two", 3.0, None, True, [4, (5,)], {"k": [6]}, (), [], {}]
print(a)
print(str(a), repr(a))
b = [a, a]
print(len(str(b)))
