data = {"name": "Invoice", "items": [{"qty": 2, "rate": 9.99}, {"qty": 1, "rate": 0.1}], "paid": False, "note": None}
text = json.dumps(data)
back = json.loads(text)
print(back == data, text, sorted(back.keys()), back["items"][1]["rate"])
