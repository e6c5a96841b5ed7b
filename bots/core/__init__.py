"""The pure core: parsing, schema, cross-linking, editing and rendering.

Nothing here imports pywikibot, a database or the network, or reads or writes a
file: it takes and returns data. The settings files and templates are read by
bots.config, run state is kept by bots.state, the wiki is talked to by bots.wiki
(tests/test_architecture.py keeps it so).
"""
