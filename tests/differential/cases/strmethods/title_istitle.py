for s in ["Hello World", "hello World", "HELLO", "Hello", "", "123 Abc", "Élan Vital"]:
    print(repr(s), s.istitle(), s.isupper(), s.islower())
