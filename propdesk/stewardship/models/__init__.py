"""One module a part; each part adds its import line here."""
