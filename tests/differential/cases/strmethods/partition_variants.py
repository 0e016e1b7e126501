print("key: value: more".partition(": "), "no-sep".partition(":"), "a.b.c".rpartition("."), "abc".rpartition("x"))
