try:
    frappe.throw("Quantity must be positive")
except frappe.ValidationError as e:
    print("caught:", e)
try:
    frappe.throw("No access", frappe.PermissionError)
except frappe.PermissionError as e:
    print("perm:", e)
frappe.throw("final")
