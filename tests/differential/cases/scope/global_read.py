RATE = 0.2


def tax(x):
    return x * RATE


print(tax(100), RATE)
