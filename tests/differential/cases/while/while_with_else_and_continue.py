k = 0
total = 0
while k < 10:
    k += 1
    if k % 2:
        continue
    total += k
else:
    total = -total
print(total)
