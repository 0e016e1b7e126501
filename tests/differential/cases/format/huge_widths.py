def attempt(label, f):
    try:
        r = f()
        print(label, repr(r) if len(repr(r)) < 300 else len(repr(r)))
    except ValueError as e:
        print(label, 'ValueError', e)
    except OverflowError as e:
        print(label, 'OverflowError', e)


w = 10 ** 30
attempt("format width", lambda: '{:>99999999999999999999}'.format(1))
attempt("format precision", lambda: '{:.99999999999999999999}'.format(1.0))
attempt("str precision", lambda: '{:.99999999999999999999}'.format('abc'))
attempt("nested width", lambda: '{:>{w}}'.format(1, w=w))
attempt("fstring width", lambda: f'{1:>{w}}')
attempt("format()", lambda: format(1.5, '<99999999999999999999'))
attempt("percent width", lambda: '%099999999999999999999d' % 1)
attempt("percent precision", lambda: '%.99999999999999999999d' % 1)
attempt("percent star", lambda: '%*d' % (w, 1))
attempt("float precision", lambda: '{:.3000000000f}'.format(1.5))
attempt("percent float precision", lambda: '%.3000000000f' % 1.5)
attempt("g precision", lambda: '{:.3000000000g}'.format(1.5))
attempt("negative star width", lambda: '%*d|' % (-5, 42))
attempt("big g", lambda: '{:.70000g}'.format(1.5))
attempt("big f", lambda: len('{:.70000f}'.format(1.5)))
attempt("big f tail", lambda: '{:.70000f}'.format(0.1)[1000:1100])
attempt("big e head", lambda: ('%.70000e' % 2.5e-300)[:760])
attempt("big e tail", lambda: ('%.70000e' % 2.5e-300)[-12:])
attempt("big e len", lambda: len('{:.70000E}'.format(1e300)))
attempt("alt g", lambda: len('{:#.70000g}'.format(1.5)))
attempt("big %", lambda: len('{:.70000%}'.format(0.25)))
attempt("small g", lambda: '{:.1200g}'.format(0.1))
attempt("small g sci", lambda: '{:.1200g}'.format(1e-300)[:200])
attempt("small g sci tail", lambda: '{:.1200g}'.format(1e-300)[-30:])
