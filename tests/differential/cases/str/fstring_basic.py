name = "World"
n = 42
print(f"Hello {name}!", f"{n}", f"{n!r}", f"{name!r}", f"{n:>5}", f"{name:*^11}", f"{{literal}}", f"{n + 1}", f"{'nested'}")
print(f"{3.14159:.2f}", f"{n:08b}", f"{n/7:.3}", f"{[1, 2]}", f"{ {'a': 1} }", f"{None}", f"{True:>6}")
