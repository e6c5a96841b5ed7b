"""The on-wiki side made from the schema: the infobox, its documentation and TemplateData (infobox.py),
the list templates and their documentation (list_templates.py)."""
