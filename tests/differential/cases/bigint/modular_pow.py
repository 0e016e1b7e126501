m = (1 << 127) - 1
print(pow(3, 10 ** 40, m))
print(pow(2, (1 << 200) + 12345, 10 ** 30 + 57))
print(pow(-7, 12345678901234567890, 998244353))
print(pow(7, 123456789, -1000003))
print(pow(5, -1, 13), pow(5, -3, 10 ** 20 + 39))
print(pow(0, 0, 7), pow(0, 5, 7), pow(12, 0, 1), pow(12, 1, -1))
print(pow(10 ** 50 + 3, 65537, (1 << 521) - 1))
print(pow(3, (1 << 300) - 1, (1 << 400) + 1) % 10 ** 20)
print(pow(2, 1000), (-3) ** 301, 7 ** 777 % (10 ** 40))
print((10 ** 20 + 1) ** 25 % 10 ** 30, 2 ** 20000 % 1000003)
try:
    pow(2, -1, 4)
except ValueError as e:
    print('ValueError', e)
try:
    pow(2, 3, 0)
except ValueError as e:
    print('ValueError', e)
