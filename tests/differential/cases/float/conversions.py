print(float('1.5'), float(' 2.5 '), float('1e3'), float('-1E-2'), float(3), float('  -inf '), float('1_0.5'))
print(int(2.9), float(True), float('nan') != float('nan'))
