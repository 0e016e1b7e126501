d = {"n": 1}
d["n"] += 5
lst = [1, 2]
lst[0] *= 10
lst[-1] -= 1
obj = _dict(v=2)
obj.v **= 3
print(d, lst, obj.v)
