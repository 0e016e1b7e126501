def stats(xs):
    return min(xs), max(xs), sum(xs) / len(xs)


lo, hi, avg = stats([4, 8, 6])
print(lo, hi, avg, stats([1]))
