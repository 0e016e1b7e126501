d = frappe._dict({"name": "X", "qty": 3})
d.qty += 2
print(d.name, d.qty, d.missing, len(d), "qty" in d)
