"""The main window's pages by key, in navigation order (a module of its own so the
command-line parser names them without loading the window)."""

PAGE_KEYS = ("today", "inspections", "evidence", "demolition", "review", "sync", "settings")
