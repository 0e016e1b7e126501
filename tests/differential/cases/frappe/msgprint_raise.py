frappe.msgprint("just a message")
print("after")
frappe.msgprint("fatal", raise_exception=True)
