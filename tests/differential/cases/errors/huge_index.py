# an index beyond 64 bits: IndexError, in CPython's words for each sequence
big = 2 ** 70
out = []
for make in [lambda: (1, 2)[big], lambda: [1][big], lambda: "ab"[big], lambda: range(3)[big],
             lambda: [1][-big]]:
    try:
        make()
    except IndexError as e:
        out.append(str(e))
items = [1, 2]
try:
    items[big] = 3
except IndexError as e:
    out.append(str(e))
print(out)
