from frappe.utils import get_time, to_timedelta, get_time_str, get_datetime_str, get_date_str, get_datetime, getdate, format_duration
print(repr(get_time("10:30")), repr(get_time("10:30:15.5")), repr(get_time(get_datetime("2024-01-01 08:09:10"))))
print(repr(get_time(to_timedelta("07:08:09"))), repr(to_timedelta(get_time("23:59:58"))))
print(get_time_str("7:08:09"), get_time_str(to_timedelta("13:00:05")))
print(get_datetime_str("2024-01-15"), get_datetime_str(getdate("2024-01-15")), get_date_str("2024-01-15 10:00:00"))
print(get_date_str(get_datetime("2024-02-29 23:00:00")))
for s in [0, 59, 60, 3600, 12885, 90061, "3700", 86400 * 3]:
    print(repr(format_duration(s)), repr(format_duration(s, hide_days=True)))
