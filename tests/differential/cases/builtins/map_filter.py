print(list(map(str, [1, 2])), list(map(int, ["3", "4"])), list(map(len, ["a", "bb"])), list(filter(str.isdigit, ["1", "a", "22"])))
print(list(map(lambda x, y: x + y, "ab", "cd")), list(filter(lambda p: p[1] > 1, [("a", 1), ("b", 2)])))
