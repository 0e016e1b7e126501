# %-formatting takes any subscriptable non-tuple argument as the mapping, as CPython does
print(repr('a' % [1, 2]))
print(repr('%s' % [1, 2]))
print(repr('%s|%r' % ([1], {'k': 2})))
print(repr('%(k)s' % {'k': 'v'}))
print(repr('x' % {}))
print(repr('%s' % range(3)))
try:
    print('%(k)s' % [1])
except TypeError as e:
    print('TypeError', e)
try:
    print('a' % 5)
except TypeError as e:
    print('TypeError', e)
try:
    print('a' % (1,))
except TypeError as e:
    print('TypeError', e)
