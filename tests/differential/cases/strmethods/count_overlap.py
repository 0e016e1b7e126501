print("aaaa".count("aa"), "abababa".count("aba"), "".count("a"), "abc".count("", 1), "mississippi".count("ss"))
