"""The pure core: data in, data out. Never imports pywikibot, a database or the network, never opens a file
(tests/test_architecture.py). Stages, in the direction data flows: records -> links -> pages (and lists);
onwiki makes the on-wiki templates from the schema; upkeep holds the maintenance transforms; runs decides
what a run can skip from what the last one left. pipeline.py strings the stages together; settings/
parses the configuration text."""
