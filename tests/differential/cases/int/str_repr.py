print(str(10), repr(-3), str(2 ** 80), repr(0))
print(f"{12345:,}", f"{-7:05d}", f"{255:x}", f"{255:#X}", f"{10:b}", f"{8:o}")
