x = 5
print("big" if x > 3 else "small", x or 0, 0 or "default", "" or None, x and "yes", 0 and "no", None and 1)
print([] or [1], {} and 1, not x, not None, not [], 1 if [] else 2)
