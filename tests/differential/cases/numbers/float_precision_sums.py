total = 0.0
for _ in range(10):
    total += 0.1
print(total, total == 1.0, round(total, 10) == 1.0, sum([0.1] * 10), abs(total - 1.0) < 1e-9)
