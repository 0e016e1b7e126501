total = (1 +
         2 +
         3)
names = [
    "a",
    "b",
]
call = max(
    1,
    5,
)
print(total, names, call, "con" "cat" "enated")
