a = 1; b = 2; c = a + b
print(a, b, c)
if c: pass
for _ in range(2): pass
print("end")
