x = None
x.strip()
