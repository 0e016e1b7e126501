grid = [[0] * 3 for _ in range(3)]
for i in range(3):
    grid[i][i] = 1
    grid[i][2 - i] += 2
print(grid, sum(map(sum, grid)), [row.count(0) for row in grid])
