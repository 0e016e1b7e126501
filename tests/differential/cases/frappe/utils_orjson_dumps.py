from frappe.utils import orjson_dumps, getdate, get_datetime, time_diff

print(orjson_dumps({"a": [1, 2.5, None, True, False, "é\x01\"\\/\n\t"], 1: 2, 1.5: 3, None: 5}))
print(orjson_dumps([1e20, 1e-5, 1.5e-5, 1e-7, 1e16, 1e15, 0.1, -0.0, 123456.0, 5e-324, 1e-4, 0.1 + 0.2]))
print(orjson_dumps([float("nan"), float("inf"), -float("inf"), 2**63, 2**64 - 1, -(2**63), (1, "x")]))
print(orjson_dumps({"b": {"x": [1, {}], "a": []}, "a": 1}, option=1 | 32))
print(orjson_dumps({2: 1, "1": 2, 10: 3, True: 4, False: 5}, option=32))
print(orjson_dumps({getdate("2024-01-02"): 1, get_datetime("2024-01-02 03:04:05.000006"): 2, get_datetime("2024-05-06"): 3}))
print(orjson_dumps([getdate("2024-01-02"), {"d": get_datetime("2024-01-02 03:04")}], default=str))
print(orjson_dumps(frappe._dict(x=1, y=[]), decode=True), repr(orjson_dumps([], option=1024)), orjson_dumps({}, option=1), orjson_dumps([], option=1))
xs = [0.000123, 7.974042475543028e-05, 1.2345678901234568e17, 9999999999999998.0, 1e300, -2.5e-8, 3.0, 100.0, 1e22, 0.5]
print(orjson_dumps([x * k for x in xs for k in (1, 3, 7.5)]))
for bad in (2**64, getdate("2020-01-01"), {1, 2}, {(1, 2): 3}, {2**64: 1}, time_diff("2024-01-02", "2024-01-01")):
    try:
        orjson_dumps(bad)
    except TypeError as e:
        print("TypeError", e)
deep = []
cur = deep
for i in range(300):
    cur.append([])
    cur = cur[0]
try:
    orjson_dumps(deep)
except TypeError as e:
    print("TypeError", e)
