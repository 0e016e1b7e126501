def counter(start):
    count = [start]

    def inc(step=1):
        count[0] += step
        return count[0]

    return inc


c = counter(10)
print(c(), c(5), c())
c2 = counter(0)
print(c2(), c())


def make_adders():
    return [lambda x, i=i: x + i for i in range(3)]


print([f(10) for f in make_adders()])


def late():
    fs = []
    for i in range(3):
        fs.append(lambda: i)
    return [f() for f in fs]


print(late())
