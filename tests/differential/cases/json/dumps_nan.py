print(json.dumps(float("nan")), json.dumps(float("inf")))
