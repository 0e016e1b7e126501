from frappe.utils import (get_first_day, get_last_day, get_quarter_start, get_quarter_ending,
    get_year_start, get_year_ending, get_first_day_of_week, get_last_day_of_week, getdate)
for s in ["2024-02-15", "2023-02-28", "2024-12-31", "2024-01-01", "2024-11-25"]:
    print(s, get_first_day(s), get_last_day(s), get_quarter_start(s), get_quarter_ending(s),
          get_year_start(s), repr(get_year_ending(s)), get_first_day_of_week(s), get_last_day_of_week(s))
print(get_first_day("2024-11-15", d_months=3), get_first_day("2024-01-15", d_years=-1, d_months=-2))
print(repr(get_first_day("2024-02-15", as_str=True)), repr(get_quarter_start(getdate("2024-08-08"), True)))
print(repr(get_first_day_of_week("2024-11-25", as_str=True)), repr(get_year_start("2024-06-01", as_str=True)))
