for x in [1, 3, 5]:
    if x % 2 == 0:
        print("even found")
        break
else:
    print("no even")
for x in [1, 4]:
    if x % 2 == 0:
        print("found", x)
        break
else:
    print("unreachable")
for x in []:
    pass
else:
    print("empty else")
