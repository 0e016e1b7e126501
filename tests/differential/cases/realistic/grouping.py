rows = [("east", 10), ("west", 5), ("east", 7), ("north", 1), ("west", 5)]
by_region = {}
for region, amount in rows:
    by_region.setdefault(region, []).append(amount)
summary = {k: sum(v) for k, v in by_region.items()}
print(by_region)
print(summary, max(summary, key=summary.get), sorted(summary.items(), key=lambda kv: (-kv[1], kv[0])))
