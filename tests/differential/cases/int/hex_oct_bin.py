print(hex(255), hex(-255), oct(8), oct(-8), bin(10), bin(-10), hex(2 ** 70))
