import frappe
import json
from frappe.utils import flt
print(flt("1.5"), json.dumps([1]), frappe.utils.cint("2"))
