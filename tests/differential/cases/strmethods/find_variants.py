s = "hello hello"
print(s.find("llo"), s.find("llo", 3), s.find("llo", 3, 6), s.rfind("llo"), s.rfind("llo", 0, 5), s.find(""), s.rfind(""), s.find("z"))
