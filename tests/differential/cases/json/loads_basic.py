d = json.loads('{"a": 1, "b": [1, 2.5, null, true, "x"], "c": {"d": "e"}}')
print(d, d["c"]["d"], d["b"][1] + 1)
print(json.loads("[1, 2]"), json.loads('"s"'), json.loads("3"), json.loads("1.5e3"), json.loads("null"), json.loads(' {"x" : 1} '))
print(json.loads('"\\u00e9\\n"'), json.loads("[]"), json.loads("{}"), json.loads("-0"), json.loads("12345678901234567890"))
