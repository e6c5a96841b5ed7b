"""The configuration parsed from text into frozen settings (bots/config.py reads the files).

yaml_doc: YAML with the line of every key, ConfigError; pages_config: config/pages.yaml, with its
sections crosslink_config, lists_config and split_config; page_titles: the titles it names.
"""
