def search(xs, target):
    lo, hi = 0, len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


xs = list(range(0, 100, 7))
print([search(xs, t) for t in [0, 7, 49, 50, 98, -1]])
