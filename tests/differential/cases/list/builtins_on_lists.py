nums = [4, -2, 7, 0, 3]
print(sum(nums), min(nums), max(nums), sum(nums, 10), sum([0.1] * 10), len(nums))
print(any(nums), all(nums), any([]), all([]), list(reversed(nums)), sorted(nums))
print(list(enumerate("abc")), list(enumerate("ab", start=1)), list(zip([1, 2, 3], "ab")), list(zip()))
print(list(map(abs, nums)), list(filter(None, nums)), list(filter(lambda x: x > 0, nums)), list(map(lambda a, b: a * b, [1, 2], [3, 4])))
