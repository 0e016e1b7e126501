print(ascii("é"), ascii("abc"), ascii([1, "ñ"]), bin(0), oct(0), hex(0), bin(2 ** 65))
