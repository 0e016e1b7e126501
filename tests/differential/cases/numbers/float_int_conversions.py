vals = ["3", "3.0", "-2.5", "1e2", " 7 "]
print([float(v) for v in vals], [int(float(v)) for v in vals], [round(float(v)) for v in vals])
