f = 1
for i in range(1, 41):
    f *= i
print(f, len(str(f)), f % 1000003, f // 10 ** 40)
