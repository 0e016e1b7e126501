print(str(), str(1), str(1.5), str(None), str(True), str([1, "a"]), str({"k": None}), str((1,)), str(-0.0), str(10 ** 30))
