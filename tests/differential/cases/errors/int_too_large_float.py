print(float(2 ** 1023))
print(2.0 ** 10000)
