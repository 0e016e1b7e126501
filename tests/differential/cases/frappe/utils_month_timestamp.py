from frappe.utils import get_month, get_timestamp, getdate, get_datetime

print(get_month("2024-03-05"), get_month("2024-12-31 23:59:59"), get_month(getdate("2023-02-01")))
print(get_month(get_datetime("2020-07-04 01:02")), get_month(getdate("1999-09-09")))
print(get_timestamp("2024-01-15"), get_timestamp(getdate("1970-01-01")), get_timestamp("1969-12-31"))
print(get_timestamp(get_datetime("2024-02-29 13:45")), get_timestamp("2038-01-20"))
for bad in (5, "0000-00-00"):
    try:
        get_month(bad)
    except AttributeError as e:
        print("AttributeError", e)
try:
    get_timestamp("0001-01-01")
except AttributeError as e:
    print("AttributeError", e)
