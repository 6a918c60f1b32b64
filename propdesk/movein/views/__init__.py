"""Move-in pages."""
