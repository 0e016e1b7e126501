print("a\tb\tc".expandtabs(), "a\tb".expandtabs(2), "12345\t6".expandtabs(4))
