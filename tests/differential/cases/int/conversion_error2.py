int('abc', 10)
