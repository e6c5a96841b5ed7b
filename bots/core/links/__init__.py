"""Records -> the link graph between them, its problems and the safe fixes (graph.py); which related links
bots.crosslink may add, from what it remembers (memory.py)."""
