print(pow(2, 3), pow(2.5, 2), pow(4, 0.5), pow(-8, 1 / 3) if False else "skip", pow(2, -2), pow(5, 3, 7), pow(-5, 3, 7), pow(5, -1, 7))
