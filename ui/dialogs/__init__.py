"""Dialogs: each one a task with its own progress, run on a background job."""
