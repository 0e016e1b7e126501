for t in ["123", "12.5", "abc", "Abc", "ABC", "a b", "", "  ", "x1", "Ⅻ", "٣"]:
    print(repr(t), t.isdigit(), t.isalpha(), t.isalnum(), t.isupper(), t.islower(), t.isspace(), t.isnumeric(), t.isdecimal(), t.istitle())
