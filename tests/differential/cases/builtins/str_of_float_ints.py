print(str(1e16), str(1e15), str(123456789012345.0), str(0.1 * 3), str(1 / 7), str(2 ** 0.5), str(float(2 ** 63)))
