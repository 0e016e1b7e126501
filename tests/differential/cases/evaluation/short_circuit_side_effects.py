calls = []


def t(x):
    calls.append(x)
    return x


r = t(0) and t(1)
r2 = t(2) or t(3)
r3 = t(None) or t("") or t("last")
print(r, r2, r3, calls)
