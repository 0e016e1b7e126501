s = "aaa bbb aaa"
print(s.replace("aaa", "x"), s.replace("a", "", 2), s.replace("", "-"), s.count("aa"), s.count("a", 4), "".replace("", "x"))
