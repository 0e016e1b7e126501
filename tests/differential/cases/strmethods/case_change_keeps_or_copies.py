# lower/upper/casefold of text that is already in that case, mixed, and non-ASCII;
# the result is a string equal to CPython's either way
words = "invoice Item WAREHOUSE stock straße ΣΑΣ İstanbul ǅ  déjà-vu 12 ß".split(" ")
for w in words:
    print(repr(w), repr(w.lower()), repr(w.upper()), repr(w.casefold()), w.lower() == w)
counts = {}
for w in words:
    k = w.lower()
    counts[k] = counts.get(k, 0) + 1
print(sorted(counts.items()))
print("a,b,,c".split(","), "a,b,,c".rsplit(",", 1), "a::b::c".split("::", 1), "x".split("x"))
print("a b  c".split(" "), "a b  c".rsplit(" ", 2), "é,ü,ö".split(","), "é,ü,ö".rsplit("ü"))
