try:
    raise ValueError("bad value")
except ValueError as e:
    print("got", e, e.args)
try:
    raise KeyError("k")
except KeyError as e:
    print("key", e, e.args)
try:
    raise frappe.ValidationError("invalid")
except frappe.ValidationError as e:
    print("validation", e)
