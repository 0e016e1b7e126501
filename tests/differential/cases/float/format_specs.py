x = 1234.5678
print(f"{x:.2f}", f"{x:10.1f}|", f"{x:<12.3f}|", f"{x:>12.3f}|", f"{x:^12.3f}|")
print(f"{x:e}", f"{x:.3e}", f"{x:E}", f"{x:g}", f"{x:.3g}", f"{0.00001234:g}", f"{x:%}", f"{0.25:.1%}")
print(f"{x:,.2f}", f"{x:_.1f}", f"{-x:+.2f}", f"{x:+.2f}", f"{x: .2f}", f"{x:012.2f}")
print(format(x, '.1f'), format(1e20, 'f'), format(1.5, ''), format(2.0, 'g'), format(1e-7, ''))
