vals = [1, 5, 3, 8]
big = [y for x in vals if (y := x * 2) > 5]
print(big)
if (n := len(vals)) > 3:
    print("long", n)
