try:
    "3" + 4
except TypeError as e:
    print(e)
try:
    3 + "4"
except TypeError as e:
    print(e)
try:
    [1] * "2"
except TypeError as e:
    print(e)
try:
    "a" * 1.5
except TypeError as e:
    print(e)
try:
    {} < {}
except TypeError as e:
    print(e)
try:
    None + 1
except TypeError as e:
    print(e)
