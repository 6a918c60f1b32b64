"""Rollups: the reports' figures counted ahead per project and local day, so that a report's cost follows the
length of its period, not the length of the history. complaints.py holds the complaint summary's; state.py the
watermark every family keeps. The worker (tasks.refresh_rollups) keeps them exact; ``manage.py rebuild_rollups``
rebuilds them from raw rows."""
