try:
    1 / 0
except ZeroDivisionError as e:
    print("caught", e, "ZDE")
try:
    [][0]
except (KeyError, IndexError) as e:
    print("caught", e)
try:
    {}["k"]
except LookupError as e:
    print("lookup", e, repr(e) if False else "")
try:
    int("x")
except ValueError as e:
    print("value", e)
