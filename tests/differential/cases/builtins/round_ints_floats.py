print(round(2.5), round(3.5), round(-2.5), round(2.4999), round(7.0), round(1.23456, 2), round(-1.5), round(0.0), round(5, 2), round(10 ** 20 + 0.5))
