data = [{"n": "a", "q": 2}, {"n": "b", "q": 0}, {"n": "c", "q": 5}]
print([d["n"] for d in data if d["q"] > 0 if d["n"] != "c"])
print({d["n"]: d["q"] for d in data if d["q"]})
print(sorted({d["q"] % 2 for d in data}))
