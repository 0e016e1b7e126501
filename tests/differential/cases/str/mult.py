print("ab" * 3, 3 * "xy", [1] * 3, (0,) * 2, "a" * True)
