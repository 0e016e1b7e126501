prices = [19.99, 5.005, 2.675, 1.005, 100.0, 0.125]
print([round(p, 2) for p in prices], [f"{p:.2f}" for p in prices], sum(prices), round(sum(prices), 2))
