"""Move-in reads, scoped by user."""
