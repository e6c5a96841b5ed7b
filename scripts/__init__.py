"""One-off and maintenance scripts: run as python -m scripts.<name>."""
