total = 250
parts = {"a": 100, "b": 75, "c": 75}
for k, v in parts.items():
    print(k, f"{v / total:.1%}", "%.2f%%" % (v * 100 / total), round(v / total * 100, 1))
