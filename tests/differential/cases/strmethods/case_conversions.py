for s in ["hello world", "HELLO WORLD", "hello_world-name", "o'neil mcdonald", "ÉCOLE", "ǆemal", "ﬁne"]:
    print(s.upper(), s.lower(), s.title(), s.capitalize(), s.swapcase())
