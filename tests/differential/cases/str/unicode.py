s = "naïve café — 日本語 🎉"
print(len(s), s[2], s[-1], s.upper(), s[::-1])
print(ord("é"), chr(233), chr(0x1F389), ord("🎉"), "ß".upper(), "İ".lower())
