print(sorted([1, 2]))
print(sorted([1, "a", 2]))
