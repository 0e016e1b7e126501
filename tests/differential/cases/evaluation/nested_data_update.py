orders = [{"id": 1, "lines": [{"q": 1}, {"q": 2}]}, {"id": 2, "lines": []}]
for o in orders:
    o["total"] = sum(l["q"] for l in o["lines"])
    o["empty"] = not o["lines"]
print(orders)
