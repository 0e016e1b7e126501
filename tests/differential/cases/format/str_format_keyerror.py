"{missing}".format(present=1)
