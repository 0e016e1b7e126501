from frappe.utils import getdate, get_datetime
for s in ["2024-01-15", "2024-1-5", "20240115", "01/02/2024", "15-01-2024", "15.01.24",
          "1/2/80", "24-01-15", "10.5.2024", "2024/05/10", "15 Jan 2024", "January 15, 2024",
          "Monday, 15th January 2024", "15 Jan 24", "2024-01-15T10:30", "2024-01-15 10:30:05.25"]:
    print(s, "->", repr(getdate(s)), repr(get_datetime(s)))
print(getdate("01/02/2024", parse_day_first=True), getdate("01/02/2024", True))
print(getdate(""), getdate(None) == getdate(), getdate("0001-01-01"), getdate("0000-00-00 00:00"))
print(get_datetime(""), get_datetime("0001-01-01 00:00:00"), get_datetime(5))
print(repr(get_datetime("2024-01-15 10:30:00.000000")), repr(get_datetime(getdate("2024-02-29"))))
d = getdate("2024-03-10")
print(getdate(d) is d, getdate(get_datetime("2024-03-10 23:59:59")))
