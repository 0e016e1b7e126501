print(int("ff", 16), int("FF", 16), int("0xFF", 16), int("-0x10", 16), int("1010", 2), int("0b1010", 0), int("Z", 36), int("10", 0))
