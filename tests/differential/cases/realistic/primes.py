def primes(limit):
    out = []
    for n in range(2, limit):
        for p in out:
            if p * p > n:
                break
            if n % p == 0:
                break
        else:
            out.append(n)
    return out


ps = primes(60)
print(ps, len(ps), sum(ps))
