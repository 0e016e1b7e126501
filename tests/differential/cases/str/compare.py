print("a" < "b", "abc" < "abd", "Z" < "a", "" < "a", "abc" == "abc", "a" * 3 == "aaa", "é" > "z")
print(sorted(["banana", "Apple", "cherry", "apple"]), max("abc"), min(["b", "a"]))
