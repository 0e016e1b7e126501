def f():
    try:
        raise ValueError("inside")
    finally:
        print("finally runs")


try:
    f()
except ValueError as e:
    print("propagated", e)
f()
