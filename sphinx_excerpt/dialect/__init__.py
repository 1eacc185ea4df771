"""The markdown-it plugins of the Pandoc dialect, one module per construct.

Each module has one ``*_plugin(md)`` function, listed in ``parser.DIALECT_PLUGINS``;
every rule it adds to markdown-it is wrapped by :mod:`.guard`, so a bug in a rule
means no match (and one ``excerpt.internal`` warning), never a stopped build.
"""
