"""Wikitext -> records: the model, parsing (mwparserfromhell, bounded), list items, the schema, the field
types (what a value means: fields.py) and validation."""
