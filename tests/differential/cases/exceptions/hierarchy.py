for exc in [ZeroDivisionError("z"), KeyError("k"), IndexError("i"), ValueError("v"), TypeError("t")]:
    try:
        raise exc
    except ArithmeticError:
        print("arith", exc)
    except LookupError:
        print("lookup", exc)
    except Exception as e:
        print("other", e)
