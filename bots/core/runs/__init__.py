"""What a run may skip, from what the last run left: -recent (recent.py) and the quiet run (quiet.py)."""
