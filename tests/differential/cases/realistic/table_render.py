rows = [["Item", "Qty", "Price"], ["Apple", 3, 0.5], ["Watermelon", 1, 3.25]]
widths = [max(len(str(r[i])) for r in rows) for i in range(3)]
for r in rows:
    print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths)))
