"""The pure core: parsing, schema, cross-linking, editing and rendering.

Nothing here imports pywikibot or does any I/O beyond reading the project's own
configuration files when asked to.
"""
