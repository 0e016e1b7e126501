print(0.1 + 0.2, 1.0, -0.0, 1e16, 1e15, 1e-5, 1e-4, 123456789.123)
print(repr(0.1), repr(1/3), repr(2/3), repr(1e22), repr(1e23), repr(5e-324))
print(float('inf'), float('-inf'), float('nan'), -float('inf'))
