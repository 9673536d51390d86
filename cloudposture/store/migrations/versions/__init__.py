"""One module per schema revision; a new one copies the newest and sets ``down_revision``."""
