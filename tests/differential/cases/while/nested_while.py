i = 0
pairs = []
while i < 3:
    j = 0
    while j < i:
        pairs.append((i, j))
        j += 1
    i += 1
print(pairs)
