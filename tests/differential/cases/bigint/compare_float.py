big = 2 ** 80
print(big > 1e24, big < 1e25, big == float(big), float(big), big + 0.5 > big, 10 ** 400 > 1e308)
