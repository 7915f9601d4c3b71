"""The consolidated consultation report of a programme: every meeting's summary as a section, compiled
incrementally (sections cached by a digest of their content) and in parallel (on the Celery workers)."""
