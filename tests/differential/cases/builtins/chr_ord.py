print(chr(65), chr(97), chr(8364), ord("A"), ord("€"), [ord(c) for c in "hi"], "".join(chr(c) for c in [72, 105]))
