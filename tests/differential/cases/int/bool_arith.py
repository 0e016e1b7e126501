print(True + True, True * 10, False - 1, True / 2)
print(sum([True, True, False]), int(False))
