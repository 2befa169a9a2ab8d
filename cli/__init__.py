"""The ``fieldinspect`` command line: an interface like the window, above ``app/`` and ``sync/``."""
