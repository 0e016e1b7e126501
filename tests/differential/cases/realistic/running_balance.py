entries = [("opening", 1000.0), ("sale", 250.75), ("refund", -99.5), ("fee", -0.25), ("sale", 0.1)]
balance = 0.0
for kind, amount in entries:
    balance += amount
    print(f"{kind:>8} {amount:>9.2f} {balance:>10.2f}")
print(balance, round(balance, 2))
