prices = {"apple": 0.5, "pear": 0.75}
for fruit, price in sorted(prices.items()):
    print(fruit, price)
k, v = next(iter(prices.items()))
print(k, v)
