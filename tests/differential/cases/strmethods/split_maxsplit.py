s = "a,b,c,d"
print(s.split(",", 0), s.split(",", 2), s.rsplit(",", 2), " a  b ".split(None, 1), "x".split("x"), "abc".split("abc"))
