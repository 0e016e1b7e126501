print(repr("it's"), repr('say "hi"'), repr("both ' and \""), repr("tab\there"), repr("nl\n"), repr("\x00\x7f"), repr("é"), repr("\u200b"))
print(str("a\\b"), repr("a\\b"), len("\N{BULLET}"))
