"""Evidence: write-once originals, their seal chain, verification, import and export.

See docs/FORMATS.md, "Seal records", for the format a third party verifies.
"""
