d = {"b": 1, "a": 2}
print(list(iter(d)), sorted(d), [k for k in d], list(map(d.get, d)), max(d.values()))
