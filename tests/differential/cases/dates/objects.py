from frappe.utils import getdate, get_datetime, add_days
d = getdate("2024-02-29")
print(d.year, d.month, d.day, d.weekday(), d.isoweekday(), d.isoformat(), d.strftime("%d/%m/%Y %A %B"))
dt = get_datetime("2024-02-29 13:45:10.250000")
print(dt.hour, dt.minute, dt.second, dt.microsecond, dt.date(), dt.time(), dt.isoformat())
print(d < getdate("2024-03-01"), add_days(d, 1) == getdate("2024-03-01"), d - getdate("2024-01-01"))
print(sorted([getdate("2024-03-01"), getdate("2023-01-01"), d]))
print({getdate("2024-01-01"): 1}[getdate("2024-01-01")], str(dt), f"{d}", f"{d:%Y}")
