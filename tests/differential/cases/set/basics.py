s = {3, 1, 2}
s.add(4)
s.add(1)
s.discard(9)
s.remove(3)
print(sorted(s), len(s), 1 in s, 3 in s)
a = {1, 2, 3}
b = {2, 3, 4}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(sorted(a.union(b)), sorted(a.intersection(b)), sorted(a.difference(b)), sorted(a.symmetric_difference(b)))
print(a <= b, {2, 3} <= a, {2, 3} < a, a >= {1}, a.issubset({1, 2, 3, 9}), a.isdisjoint({7}), a == {3, 2, 1})
