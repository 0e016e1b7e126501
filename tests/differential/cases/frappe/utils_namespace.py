print(frappe.utils.flt("2.5") * 2, frappe.utils.cint("3") + 1, frappe.utils.cstr(0))
