# The standard categories of the seed (name, slug, sensitive). Migration 0002 installs a frozen copy.
DEFAULT_CATEGORIES = [
    ("兒少福利", "children", False),
    ("婦女福利", "women", False),
    ("老人福利", "elderly", False),
    ("身心障礙福利", "disability", False),
    ("弱勢關懷", "vulnerable", False),
    ("街友服務", "homeless", False),
    ("急難救助", "emergency", False),
    ("家暴被害", "domestic-violence", True),
    ("新移民", "new-immigrants", False),
    ("其他", "other", False),
]
