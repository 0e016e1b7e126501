x = 1
for i in range(80):
    x = x * 3
print(x)
s = 0
for i in range(70):
    s = s + 2 ** i
print(s)
