x = "global"


def outer():
    x = "outer"

    def inner():
        return x

    return inner()


def reads_global():
    return x


print(outer(), reads_global(), x)
