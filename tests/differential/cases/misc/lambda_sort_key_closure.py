weights = {"a": 3, "b": 1, "c": 2}
order = sorted(weights, key=lambda k: weights[k])
print(order, sorted(weights.items(), key=lambda kv: kv[1], reverse=True)[0])
