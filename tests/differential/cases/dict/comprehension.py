squares = {x: x * x for x in range(6) if x % 2 == 0}
print(squares)
inv = {v: k for k, v in squares.items()}
print(inv)
print({k: len(k) for k in ["a", "bb", "ccc"]})
