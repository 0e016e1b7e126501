items = [
    {"item_code": "A", "qty": 2, "rate": 10.5},
    {"item_code": "B", "qty": 1, "rate": 99.99},
    {"item_code": "C", "qty": 3, "rate": 0.3},
]
total = 0
for row in items:
    row["amount"] = round(row["qty"] * row["rate"], 2)
    total += row["amount"]
print(items)
print(round(total, 2), f"{total:,.2f}", len(items))
