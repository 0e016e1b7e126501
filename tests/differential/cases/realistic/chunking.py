data = list(range(11))
chunks = [data[i:i + 4] for i in range(0, len(data), 4)]
print(chunks, [len(c) for c in chunks], sum(sum(c) for c in chunks))
