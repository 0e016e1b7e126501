tpl = "{name} owes {amount:.2f} ({pct:.0%})"
print(tpl.format(name="Ann", amount=12.5, pct=0.125), "{0}{1}{0}".format("a", "b"), "{:*>{}}".format("x", 4))
