t = (1, 2, 3, 2)
print(t, len(t), t[1], t[-1], t[1:3], t.count(2), t.index(3), 2 in t, t + (4,), t * 2)
print((), (1,), tuple([1, 2]), tuple("ab"), (1, 2) < (1, 3), (1, 2) == (1, 2), hash((1, 2)) == hash((1, 2)))
single = 5,
print(single, isinstance(single, tuple))
