found = None
for i in range(5):
    for j in range(5):
        if i * j == 6:
            found = (i, j)
            break
    if found:
        break
print(found)
count = 0
for i in range(4):
    for j in range(i):
        if j == 1:
            continue
        count += 1
print(count)
