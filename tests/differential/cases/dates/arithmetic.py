from frappe.utils import add_days, add_months, add_years, add_to_date, getdate, get_datetime
print(repr(add_days("2024-01-31", 1)), repr(add_days(getdate("2024-01-31"), 30)))
print(repr(add_months("2024-01-31", 1)), repr(add_months(getdate("2024-03-31"), -1)))
print(repr(add_months("2023-01-31", 1)), repr(add_months(getdate("2024-12-15"), 13)))
print(repr(add_years("2024-02-29", 1)), repr(add_years(getdate("2024-02-29"), 4)))
print(repr(add_days("2024-01-31 10:00:00", 2)), repr(add_days(get_datetime("2024-01-31 10:00:00"), -2)))
print(repr(add_to_date("2024-01-31", hours=5)), repr(add_to_date(getdate("2024-01-31"), hours=5)))
print(repr(add_to_date(getdate("2024-01-31"), days=1, as_string=True)))
print(repr(add_to_date(getdate("2024-01-31"), days=1, as_string=True, as_datetime=True)))
print(repr(add_to_date("2024-01-31", weeks=2, days=-3, minutes=90)))
print(repr(add_to_date(get_datetime("2024-03-31 23:59:59"), months=-1, seconds=1)))
print(repr(add_to_date(getdate("2024-01-01"), days=1.5)), repr(add_to_date(getdate("2024-01-01"), days=-1.5)))
print(repr(add_to_date(getdate("2024-01-01"), months=2.0)))
try:
    add_to_date(getdate("2024-01-01"), months=1.5)
except ValueError as e:
    print("ValueError", e)
try:
    add_days("not a date", 1)
except frappe.ValidationError as e:
    print("ValidationError", e)
