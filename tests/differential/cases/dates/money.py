from frappe.utils import fmt_money
for v in [0, 1, -1, 12.5, 1234, 1234567.891, -1234.5, 0.005, 999.999, "1,234.567", None, 10**9 + 0.25]:
    print(repr(v), fmt_money(v), fmt_money(v, 3), fmt_money(v, currency="USD"), fmt_money(v, format="#,##,###.##"),
          fmt_money(v, format="#.###,##"), fmt_money(v, 0, format="#,###"))
print(fmt_money(1234.5678, 4), fmt_money(1234.5, 4), fmt_money(1234.5678, 4, "EUR"))
