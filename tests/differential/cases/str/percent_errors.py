print("%d" % 3)
print("%d %d" % (1,))
