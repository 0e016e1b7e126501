def attempt(label, f):
    try:
        r = f()
        print(label, repr(r) if len(repr(r)) < 300 else len(repr(r)))
    except ValueError as e:
        print(label, 'ValueError', e)
    except OverflowError as e:
        print(label, 'OverflowError', e)


big = 10 ** 5000
edge = 10 ** 4300
attempt("%d", lambda: '%d' % big)
attempt("%i negative", lambda: '%i' % -big)
attempt("%s", lambda: '%s' % big)
attempt("%r", lambda: '%r' % edge)
attempt("{:,}", lambda: '{:,}'.format(big))
attempt("{:d}", lambda: '{:d}'.format(big))
attempt("{:_}", lambda: '{:_}'.format(edge))
attempt("{:n}", lambda: '{:n}'.format(edge))
attempt("{:>10}", lambda: format(big, '>10'))
attempt("{}", lambda: '{}'.format(big))
attempt("fstring", lambda: f'{edge}')
attempt("str edge", lambda: str(edge))
attempt("4300 digits", lambda: len('%d' % (edge - 1)))
attempt("4300 digits grouped", lambda: len('{:,}'.format(edge - 1)))
attempt("4300 digits negative", lambda: len('{:d}'.format(1 - edge)))
attempt("hex has no limit", lambda: len('%x' % big))
attempt("bin has no limit", lambda: len('{:b}'.format(big)))
attempt("oct has no limit", lambda: len(format(big, '#o')))
