n = 10
n += 5
n -= 3
n *= 4
n //= 5
n %= 7
n **= 3
n <<= 2
n >>= 1
n |= 1
n &= 0xff
n ^= 0x0f
print(n)
