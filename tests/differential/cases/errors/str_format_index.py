"{0} {2}".format("a", "b")
