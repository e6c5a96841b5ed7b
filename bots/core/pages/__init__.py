"""Records -> generated pages: rendering (Jinja), the bot-owned regions and every marker the bot writes
(markers.py), subpages and the size cut, the mass-removal guard, the status page, moves and deletions."""
