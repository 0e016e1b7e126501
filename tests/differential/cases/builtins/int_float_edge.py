print(int(-0.5), int(0.99999), int("-0"), float("-0"), int(" 7\n"), float(".5"), float("5."), int(1e15), int(2 ** 53 + 1.0))
