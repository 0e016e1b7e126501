print(sum(x * x for x in range(5)), max(len(w) for w in ["a", "bbb"]), any(x > 3 for x in [1, 5]), all(x for x in []))
print(list(x for x in "ab"), tuple(i for i in range(3)), sorted(x % 3 for x in range(7)), ",".join(str(i) for i in [1, 2]))
print(min((abs(x), x) for x in [-3, 2, -1]), dict((k, 1) for k in "ab"), set(x for x in [1, 1]) == {1})
