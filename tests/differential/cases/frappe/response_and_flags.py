frappe.response["message"] = {"ok": True}
frappe.flags.seen = 1
print(frappe.response["message"], frappe.flags.seen, frappe.flags.missing, frappe.form_dict.nothing)
