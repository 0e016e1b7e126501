people = [{"name": "bo", "age": 30}, {"name": "al", "age": 25}, {"name": "cy", "age": 30}]
by_age = sorted(people, key=lambda p: (p["age"], p["name"]))
print([p["name"] for p in by_age])
oldest = max(people, key=lambda p: p["age"])
print(oldest["name"], [p["name"] for p in people if p["age"] > 26])
