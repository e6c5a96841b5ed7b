"""Records -> the link graph between them (graph.py), over what the wiki knows of the linked pages
(states.py); its problems (checks.py) and the edits that fix them (fixes.py); the link roles checked
against the schema (roles.py); which related links bots.crosslink may add, from what it remembers
(memory.py)."""
