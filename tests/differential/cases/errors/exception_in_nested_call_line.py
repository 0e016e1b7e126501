def parse(v):
    return int(v)


def total(vals):
    s = 0
    for v in vals:
        s += parse(v)
    return s


print(total(["1", "2"]))
print(total(["1", "x"]))
