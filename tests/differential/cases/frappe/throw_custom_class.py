try:
    frappe.throw("dup", frappe.DuplicateEntryError)
except frappe.DuplicateEntryError as e:
    print("dup caught", e)
frappe.throw("missing", frappe.DoesNotExistError)
