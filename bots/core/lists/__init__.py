"""The volunteers' lists: the query language (query.py) and how a page's lists are filled (fill.py)."""
