s = "banana"
print(s.find("an"), s.find("an", 2), s.rfind("an"), s.find("x"), s.index("na"), s.rindex("a"), s.count("a"), s.count("an"), s.count(""))
print(s.startswith("ban"), s.endswith("na"), s.startswith(("x", "b")), s.endswith("an", 0, 5), s.replace("a", "o"), s.replace("a", "o", 2))
