for expr in ["1 + 'a'", "'a' - 1", "[] + ()", "len(5)", "None[0]", "5[0]", "{}.x"]:
    pass
try:
    1 + "a"
except TypeError as e:
    print(e)
try:
    "a" - 1
except TypeError as e:
    print(e)
try:
    [] + ()
except TypeError as e:
    print(e)
try:
    len(5)
except TypeError as e:
    print(e)
try:
    None[0]
except TypeError as e:
    print(e)
try:
    5[0]
except TypeError as e:
    print(e)
try:
    [1] < "a"
except TypeError as e:
    print(e)
try:
    -"a"
except TypeError as e:
    print(e)
