print(json.dumps({"a": 1, "b": [1, 2.5, None, True, "x"]}))
print(json.dumps([1, "é", {"k": {}}]), json.dumps("q\"uote"), json.dumps(None), json.dumps(1.0), json.dumps(10 ** 20))
print(json.dumps({"b": 1, "a": 2}, sort_keys=True), json.dumps({"a": [1, 2]}, indent=2), json.dumps([1, 2], separators=(",", ":")))
print(json.dumps("é", ensure_ascii=False), json.dumps({1: "int key", True: "b"}), json.dumps((1, 2)))
