# sequence repetition at the edges: empty sequences and huge counts, floats and bitwise ops
print(repr([] * 9223372036854775807), repr(() * 9223372036854775807), repr('' * 9223372036854775807))
print(repr([1] * 0), repr([1, 2] * 2), repr([1] * -3), repr('ab' * -1))
try:
    print(9223372036854775807 * 'ab')
except OverflowError as e:
    print('OverflowError', e)
for f in [lambda: 1.5 ^ 3, lambda: 2 << 1.0, lambda: 1e-7 & (3 ** 400)]:
    try:
        print(f())
    except TypeError as e:
        print('TypeError', e)
print(repr(-(-(2 ** 70) * 1e-7)))
print(repr(118059162071741.125), str(118059162071741.125))
