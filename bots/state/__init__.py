"""What runs keep between them, on disk: the revision cache (SQLite), the run lock, the crosslink memory,
the render state and the one code fingerprint. The core never touches these files; the bots pass their
contents in as data."""
