a = [5, 2, 9, 1, 5, 6]
a.sort()
print(a)
a.sort(reverse=True)
print(a)
words = ["banana", "Apple", "cherry", "apple", "Banana"]
words.sort(key=str.lower)
print(words)
words.sort(key=len, reverse=True)
print(words)
print(sorted([(2, "b"), (1, "z"), (2, "a"), (1, "a")]))
print(sorted([3, 1, 2], key=lambda x: -x), sorted("hello"), sorted({"b": 1, "a": 2}))
