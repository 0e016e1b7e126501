print("{0}".format("ok"))
print("{1}".format("only one"))
