"""How much an intake record holds. Pure data: the form, the API schema, the model and the service read the same
limits, so a text the page accepts is never refused deeper down, and none is stored that no page would accept.

A call is written down short and clear (五清楚): a description of up to 2,000 characters is a long page of Chinese
text; the 5W1H details take up to 1,000 each. Longer accounts go onto the timeline as notes later.
"""

from datetime import timedelta

# Times on a request are bounded: an appointment or a resident's deadline is agreed for the coming year at most, and
# what is reported happened within the past year (older matters are not a service request). Beyond these the deadline
# arithmetic would also leave the calendar (year 9999 overflowed and answered 404).
AHEAD_AT_MOST = timedelta(days=365)
BACK_AT_MOST = timedelta(days=365)

TEXT_LIMITS: dict[str, int] = {
    "description": 2000,
    "cause": 1000,
    "impact": 1000,
    "resident_request": 1000,
    "contact_name": 50,
    "location_note": 200,
    "complained_person": 100,
}


def too_long(values: dict[str, str]) -> dict[str, tuple[int, int]]:
    """``{field: (limit, length)}`` for every value longer than its limit."""
    return {name: (TEXT_LIMITS[name], len(value)) for name, value in values.items()
            if name in TEXT_LIMITS and value and len(value) > TEXT_LIMITS[name]}
