def f(x):
    try:
        r = 10 / x
    except ZeroDivisionError:
        print("zero")
        return "z"
    else:
        print("ok", r)
        return "ok"
    finally:
        print("finally", x)


print(f(2), f(0))
