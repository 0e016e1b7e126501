café = 5
naïve = café * 2
print(café, naïve)
