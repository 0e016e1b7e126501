items = ["b", "a", "b", "c", "a", "d"]
seen = set()
out = []
for x in items:
    if x not in seen:
        seen.add(x)
        out.append(x)
print(out, list(dict.fromkeys(items)) if False else out)
