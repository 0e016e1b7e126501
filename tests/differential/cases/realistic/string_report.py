people = [("Ann", 31, 1234.5), ("Bob", 4, 0.25), ("Christina", 102, 1e6)]
lines = []
for name, age, balance in people:
    lines.append(f"{name:<10}|{age:>4}|{balance:>12,.2f}")
print("\n".join(lines))
print("%-10s|%4d|%12.2f" % people[0])
