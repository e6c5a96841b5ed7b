"""Partnership records bot for the Strategic Planning wiki's task force on alliances and partnerships."""

__version__ = "0.1.0"
