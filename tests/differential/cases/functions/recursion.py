def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print(fact(10), fact(30), fib(15), [fib(i) for i in range(10)])
