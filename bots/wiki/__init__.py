"""The only code that talks to the wiki, through pywikibot.

Reading: read (pages, snapshots, the infobox's names), listing (every infobox page with
the revision cache), recent (-recent), links (link lookups), history (logs, own saves),
api (the raw queries kept where pywikibot costs more requests). Saving: save (the bot
classes), messages (save wording), shutoff (the on-wiki shutoff page). options: the page
generator options.
"""
