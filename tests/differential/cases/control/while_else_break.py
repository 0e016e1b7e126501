i = 0
while i < 5:
    i += 1
    if i == 3:
        continue
    print("i", i)
else:
    print("done", i)
j = 0
while True:
    j += 1
    if j > 3:
        break
print("j", j)
n = 10
while n > 0:
    n -= 4
    if n == 2:
        break
else:
    print("no break")
print("n", n)
