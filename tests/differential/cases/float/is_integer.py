print((3.0).is_integer(), (3.5).is_integer(), float(10**20).is_integer())
