total = 5


def bump():
    total = total + 1
    return total


bump()
