d = {"x": 1, "y": 2}
for k in d:
    print(k, d[k])
for k, v in d.items():
    print(k, v)
print(sorted(d.items(), key=lambda kv: -kv[1]), sum(d.values()), max(d, key=d.get))
