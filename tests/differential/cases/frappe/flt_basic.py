from frappe.utils import flt, cint, cstr
print(flt("3.14"), flt(None), flt(""), flt("abc"), flt(2), flt("1,234.5"), flt(1.23456, 2), flt("7.891", 1))
print(cint("12"), cint("12.7"), cint(None), cint("x"), cint(True), cint(3.99), cint("-4"))
print(repr(cstr(None)), cstr(12), cstr(1.5), cstr("s"), cstr([1]))
