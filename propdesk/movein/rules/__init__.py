"""Pure rules of move-in: no database, no clock (the caller passes the day, the time and the calendar)."""
