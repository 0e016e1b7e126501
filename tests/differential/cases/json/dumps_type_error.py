json.dumps({"s": {1, 2}})
