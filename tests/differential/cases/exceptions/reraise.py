def f():
    try:
        {}["missing"]
    except KeyError:
        print("handling")
        raise


try:
    f()
except KeyError as e:
    print("outer", e)
