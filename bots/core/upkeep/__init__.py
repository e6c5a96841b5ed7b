"""Maintenance transforms behind scripts/: rename and normalise (maintenance.py), parameter edits that
keep the layout (params.py), migration from older templates and tables (migrate.py), rows in and out (rows.py)."""
