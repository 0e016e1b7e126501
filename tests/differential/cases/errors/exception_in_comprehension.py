data = [1, 0, 2]
print([10 // x for x in data])
