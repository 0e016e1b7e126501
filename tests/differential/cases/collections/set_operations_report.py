before = {"a", "b", "c"}
after = {"b", "c", "d"}
print(sorted(after - before), sorted(before - after), sorted(before & after), len(before | after), before.isdisjoint({"z"}))
