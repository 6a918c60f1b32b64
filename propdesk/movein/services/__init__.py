"""Move-in writes: buyers, slots and bookings, the handover."""
