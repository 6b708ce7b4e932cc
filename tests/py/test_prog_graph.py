# small program: graph algorithms on dict adjacency lists: BFS shortest paths, DFS, topological sort, cycle detection
edges = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e"), ("e", "f"), ("c", "f"), ("g", "h")]
graph = {}
for u, v in edges:
    graph.setdefault(u, []).append(v)
    graph.setdefault(v, [])
def bfs(start):
    dist = {start: 0}
    queue = [start]
    while queue:
        u = queue.pop(0)
        for v in graph[u]:
            if v not in dist:
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist
print(bfs("a"))
print(bfs("g"))
def dfs(u, seen=None):
    if seen is None:
        seen = []
    seen.append(u)
    for v in graph[u]:
        if v not in seen:
            dfs(v, seen)
    return seen
print(dfs("a"))
def topo():
    indeg = {u: 0 for u in graph}
    for u in graph:
        for v in graph[u]:
            indeg[v] += 1
    ready = sorted(u for u in graph if indeg[u] == 0)
    order = []
    while ready:
        u = ready.pop(0)
        order.append(u)
        for v in graph[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                ready.append(v)
                ready.sort()
    return order
print(topo())
def has_cycle(g):
    state = {}
    def visit(u):
        state[u] = 1
        for v in g.get(u, []):
            if state.get(v) == 1 or (v not in state and visit(v)):
                return True
        state[u] = 2
        return False
    return any(visit(u) for u in list(g) if u not in state)
print(has_cycle(graph))
cyclic = {"x": ["y"], "y": ["z"], "z": ["x"]}
print(has_cycle(cyclic))
def all_paths(u, target, path=()):
    path = path + (u,)
    if u == target:
        return [path]
    return [p for v in graph[u] for p in all_paths(v, target, path)]
print(all_paths("a", "f"))
print(len(all_paths("a", "e")), sorted(graph), sum(len(v) for v in graph.values()))
