# methods that take no arguments refuse them with CPython's message, on every type
out = []
def probe(label, f):
    try:
        out.append((label, f()))
    except TypeError as e:
        out.append((label, "TypeError", str(e)))
for name in ["lower", "upper", "title", "capitalize", "swapcase", "casefold", "isdigit",
             "isdecimal", "isnumeric", "isalpha", "isalnum", "isspace", "islower",
             "isupper", "istitle", "isidentifier", "isascii"]:
    probe(name, lambda: getattr("Abc", name)(1))
    probe(name + " kw", lambda: getattr("Abc", name)(x=1))
probe("list.copy", lambda: [1].copy(1))
probe("list.clear", lambda: [1].clear(1))
probe("list.reverse", lambda: [1].reverse(1))
probe("dict.keys", lambda: {}.keys(1))
probe("dict.values", lambda: {}.values(1))
probe("dict.items", lambda: {}.items(1))
probe("dict.copy", lambda: {}.copy(1))
probe("dict.clear", lambda: {}.clear(x=1))
probe("dict.popitem", lambda: {1: 2}.popitem(1))
probe("set.copy", lambda: {1}.copy(1))
probe("set.clear", lambda: {1}.clear(1))
probe("float.is_integer", lambda: (1.5).is_integer(2))
for row in out:
    print(row)
