"""Pure rules of the phone sign-in: no database, no clock (the caller passes ``now``)."""
