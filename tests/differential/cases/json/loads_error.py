print(json.loads("[1]"))
json.loads("{bad json}")
