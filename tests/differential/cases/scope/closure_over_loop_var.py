funcs = []
for i in range(3):
    def f(i=i):
        return i * 10
    funcs.append(f)
print([g() for g in funcs])
