for t in ['', '{bad json}', '[1,', '[1 2]', '{"a" 1}', '{"a": 1,}', '[1,]', '"abc', '{"a": 1} x', 'nul', '[1, 2', '{"a":', '"\\q"', '\n\n  [1,\n  x]']:
    try:
        json.loads(t)
    except ValueError as e:
        print(repr(t), e)
