print(divmod(17, 5), divmod(-17, 5), divmod(17, -5))
print(pow(2, 10), pow(3, 4, 5), pow(-2, 3), pow(2, 0))
print(pow(7, 128, 13), pow(10, 30, 97))
