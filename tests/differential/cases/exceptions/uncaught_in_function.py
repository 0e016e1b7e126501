def inner():
    return [1][5]


def outer():
    return inner()


print("before")
outer()
