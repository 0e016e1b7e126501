"""A module docstring is just an expression."""


def f():
    """Function docstring."""
    # a comment
    return 1  # trailing comment


print(f())
