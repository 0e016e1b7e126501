print(int('42'), int(' -17 '), int('1_000'), int('0x1f', 16), int('z', 36), int('777', 8))
print(int(3.99), int(-3.99), int(True), int('0b101', 0), int('0o17', 0))
print(int(1e20), int(-2.5), int('+5'))
