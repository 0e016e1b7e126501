print(json.dumps({"a": {"b": [1, {"c": None}]}, "d": []}, indent=4))
print(json.dumps([], indent=2), json.dumps({}, indent=2), json.dumps([[]], indent=1))
