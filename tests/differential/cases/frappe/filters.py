from frappe.utils import compare, get_filter, evaluate_filters
print(compare(5, ">", 3), compare("5", ">", "30"), compare("5", ">", "30", "Int"), compare(None, "None", 1))
print(compare("abc", "^", "ab"), compare(None, "^", "a"), compare(2, "in", [1, 2]), compare(2, "not in", (1,)))
print(compare("1.50", "=", 1.5, "Float"), compare("true", "=", 1, "Check"), compare(1, "like", 1), compare(None, "=", "", "Data"))
print(compare("2024-01-02", ">", "2023-12-31", "Date"), compare("", "<", "2024-01-01", "Date"))
f = get_filter("ToDo", {"status": ["!=", "Open"]})
print(f.doctype, f.fieldname, f.operator, f.value, f.fieldtype)
f = get_filter("ToDo", ["qty", ">", 3])
print(f.doctype, f.fieldname, f.operator, f.value)
print(get_filter(None, ("ToDo", "x", None, 1)).operator, get_filter(None, {"a": 1}).operator)
doc = frappe._dict(status="Open", qty=5, owner="a@b.c")
print(evaluate_filters(doc, {"status": "Open", "qty": [">", 3]}), evaluate_filters(doc, [["qty", "<", 5]]))
print(evaluate_filters(doc, [["owner", "^", "a@"], ["status", "in", ["Open", "Closed"]]]), evaluate_filters(doc, {}))
for bad in [["x"], "x", ["a", "regex", 1]]:
    try:
        get_filter("ToDo", bad)
    except frappe.ValidationError as e:
        print("ValidationError", str(e)[:60])
