keys = ["a", "b"]
d = {k: 0 for k in keys}
d2 = dict.fromkeys(keys, 1) if False else {k: 1 for k in keys}
print(d, d2)
