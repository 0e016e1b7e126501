print(divmod(7, 2), divmod(-7, 2), divmod(7.5, 2), divmod(-7.5, -2), divmod(2 ** 70, 3), divmod(0, 5))
