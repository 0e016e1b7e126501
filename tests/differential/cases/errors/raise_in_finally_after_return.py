def f():
    try:
        return 1
    finally:
        print("finally")


print(f())
raise RuntimeError("stop here")
