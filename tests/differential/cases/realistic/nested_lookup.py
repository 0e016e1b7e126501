config = {"a": {"b": {"c": [10, 20, {"d": "deep"}]}}}
path = ["a", "b", "c", 2, "d"]
node = config
for key in path:
    node = node[key]
print(node)
print(config.get("x", {}).get("y"), config["a"]["b"]["c"][-2])
