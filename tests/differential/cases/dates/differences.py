from frappe.utils import date_diff, month_diff, time_diff, time_diff_in_seconds, time_diff_in_hours, getdate, get_datetime
print(date_diff("2024-03-01", "2024-02-01"), date_diff(getdate("2024-01-01"), "2024-12-31"))
print(date_diff("2024-03-01 23:00:00", get_datetime("2024-02-28 01:00:00")))
print(month_diff("2024-03-01", "2023-11-30"), month_diff("2024-01-31", "2024-01-01"))
print(repr(time_diff("2024-01-02 10:00:00", "2024-01-01 08:30:15")))
print(repr(time_diff("2024-01-01", "2024-01-02 06:00:00")))
print(time_diff_in_seconds("2024-01-01 10:00:00.500000", "2024-01-01 09:00:00"))
print(time_diff_in_hours("2024-01-01 10:20:00", "2024-01-01 08:00:00"), time_diff_in_hours("2024-01-01", "2024-01-03"))
d = time_diff("2024-01-02 10:00:00", "2024-01-01 08:30:15")
print(d.days, d.seconds, d.total_seconds(), str(d))
try:
    date_diff("0001-01-01", "2024-01-01")
except TypeError as e:
    print("TypeError", e)
