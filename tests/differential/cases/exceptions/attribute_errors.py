try:
    (5).foo
except AttributeError as e:
    print(e)
try:
    "s".nomethod()
except AttributeError as e:
    print(e)
try:
    [].nope
except AttributeError as e:
    print(e)
