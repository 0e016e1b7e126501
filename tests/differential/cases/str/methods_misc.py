print("hello world".title(), "HELLO".casefold(), "a,b".replace(",", ", "), "x".join("abc"))
print("Straße".lower(), "ǅ".lower(), "tschüß".upper())
print("{} and {}".format("a", "b"), "{1}{0}".format("x", "y"), "{name}!".format(name="n"))
