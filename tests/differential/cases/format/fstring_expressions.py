items = [1, 2, 3]
d = {"k": "v"}
print(f"{len(items)} items, sum={sum(items)}, first={items[0]}, key={d['k']}, {'yes' if items else 'no'}")
print(f"{items!r:>12}", f"{3 * 7 = }" if False else "skip", f"{'a' 'b'}", f"{1:{'>'}{5}}", f"{2 ** 10:,}")
