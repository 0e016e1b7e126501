words = ["pear", "fig", "banana", "kiwi"]
print(min(words), max(words), min(words, key=len), max(words, key=len), max([], default="none"), min(3, 1, 2))
print(max([1, 3, 2], key=lambda x: -x), min([(1, "b"), (1, "a")]))
