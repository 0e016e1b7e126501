out = []
for ch in "héllo":
    out.append(ch.upper())
print(out, list("abc"), tuple("xy"), sorted("dcba"), "".join(reversed("abc")))
