for i in range(3):
    print("step", i)
missing = {}["k"]
