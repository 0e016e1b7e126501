print(min([5]))
print(min([]))
