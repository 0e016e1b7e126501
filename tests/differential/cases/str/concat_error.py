x = "a" + "b"
print(x)
y = "count: " + 5
