"""Move-in 入伙/交房: models of the part (see the brief)."""
