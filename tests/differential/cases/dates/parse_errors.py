from frappe.utils import getdate, get_datetime
for s in ["hello", "2024-02-30", "2024-13-01", "13/13/2024", "31/31/2024"]:
    try:
        print(getdate(s))
    except frappe.ValidationError as e:
        print("ValidationError", e)
for s in ["nope", "2024-02-30 10:00:00", "2024-01-15 25:00"]:
    try:
        print(get_datetime(s))
    except ValueError as e:
        print("ValueError", e)
