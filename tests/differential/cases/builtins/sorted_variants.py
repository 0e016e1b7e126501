data = [{"n": "b", "v": 2}, {"n": "a", "v": 2}, {"n": "c", "v": 1}]
print([d["n"] for d in sorted(data, key=lambda d: d["v"])])
print([d["n"] for d in sorted(data, key=lambda d: (d["v"], d["n"]), reverse=True)])
print(sorted([3, 1, 2], reverse=True), sorted(["b", "A", "a"], key=str.lower), sorted([]), sorted((2, 1)))
