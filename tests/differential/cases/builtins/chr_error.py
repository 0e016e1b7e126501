print(chr(1114111) != "")
chr(-1)
