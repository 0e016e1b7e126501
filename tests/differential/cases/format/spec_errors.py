print(format(1.5, ".1f"))
print(format("text", "d"))
