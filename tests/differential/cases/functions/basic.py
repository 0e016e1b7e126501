def add(a, b):
    return a + b


def greet(name="World"):
    return "Hello " + name


def nothing():
    pass


print(add(2, 3), add("a", "b"), greet(), greet("you"), nothing(), add(b=1, a=2))
