divmod(1.5, 0)
