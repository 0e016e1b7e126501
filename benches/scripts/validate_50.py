# Before Save on Sales Invoice: validate rows, compute totals, set status.
from frappe.utils import flt, cint, getdate, nowdate

MAX_DISCOUNT = 30


def row_amount(row):
    amount = flt(row.qty) * flt(row.rate)
    if row.discount_percentage:
        amount = amount * (100 - flt(row.discount_percentage)) / 100
    return flt(amount, 2)


def check_row(row, seen):
    if row.qty is None or row.qty <= 0:
        frappe.throw(f"Row {row.idx}: quantity must be positive for {row.item_code}")
    if flt(row.discount_percentage) > MAX_DISCOUNT:
        frappe.throw(f"Row {row.idx}: discount above {MAX_DISCOUNT}% needs approval")
    if row.item_code in seen:
        frappe.msgprint(f"Item {row.item_code} appears twice", indicator="orange")
    seen.add(row.item_code)


seen = set()
total = 0
total_qty = 0
for row in doc.items:
    check_row(row, seen)
    row.amount = row_amount(row)
    total += row.amount
    total_qty += cint(row.qty)

doc.total = flt(total, 2)
doc.total_qty = total_qty
taxes = flt(doc.total_taxes_and_charges)
doc.grand_total = flt(doc.total - flt(doc.discount_amount) + taxes, 2)

customer_group = frappe.db.get_value("Customer", doc.customer, "customer_group")
if customer_group == "Wholesale" and doc.grand_total < 1000:
    frappe.throw("Wholesale orders must be at least 1000")

if getdate(doc.posting_date) < getdate(nowdate()):
    doc.status = "Overdue" if doc.outstanding_amount else "Paid"
else:
    doc.status = "Unpaid"

labels = [r.item_code for r in doc.items if flt(r.amount) > 500]
if labels:
    doc.remarks = "Large lines: " + ", ".join(sorted(labels))
