errors = []
doc = {"qty": -1, "email": "bad", "items": []}
if doc["qty"] <= 0:
    errors.append("Quantity must be positive, got {}".format(doc["qty"]))
if "@" not in doc["email"]:
    errors.append(f"Invalid email: {doc['email']!r}")
if not doc["items"]:
    errors.append("At least one item is required")
print(len(errors))
for i, e in enumerate(errors, 1):
    print(f"{i}. {e}")
if errors:
    frappe.throw("<br>".join(errors))
