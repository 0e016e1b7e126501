s = ""
for i in range(5):
    s += str(i) * i
print(s, len(s))
parts = []
for w in ["a", "b", "c"]:
    parts.append(w.upper())
print("-".join(parts))
