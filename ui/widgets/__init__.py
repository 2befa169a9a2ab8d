"""Reusable widgets: camera preview, signature pad."""
