date = "2026-11-25"
y, m, d = [int(p) for p in date.split("-")]
print(y, m, d, f"{d:02d}/{m:02d}/{y}", date[:7], date.replace("-", ""))
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
print(f"{months[m - 1]} {d}, {y}")
