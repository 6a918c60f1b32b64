"""The registry covers every route: a URL pattern or API operation without an entry fails here, with the line to
add; an entry whose route is gone fails too."""

import re

from .discovery import api_operations, url_patterns
from .routes import API, PAGES

OBJECTS = "request, work_order, visit, receipt, resident, room, attachment, notification, api_token …"
# A path's words → the object its id most likely names (only to word the suggestion; check it).
GUESSES = {"receipts": "receipt", "orders": "work_order", "work-orders": "work_order", "requests": "request",
           "visits": "visit", "incidents": "incident", "rooms": "room", "buildings": "building",
           "projects": "project", "tokens": "api_token", "attachments": "attachment", "photos": "attachment",
           "customers": "resident", "residents": "resident", "occupancies": "occupancy", "phones": "phone",
           "inbox": "notification", "notifications": "notification", "imports": "import_job", "jobs": "import_job"}


def _guess(key: str, name: str) -> str:
    if name.removesuffix("_id") in set(GUESSES.values()):
        return name.removesuffix("_id")
    words = [w for w in re.split(r"[/ ]", key) if w in GUESSES]
    return GUESSES[words[-1]] if words else "<object>"


def _suggestion(key: str, params: list[str], path: str) -> str:
    if not params:
        return f"    {key!r}: coll(),  # or public() when it needs no sign-in"
    filled = ", ".join(f'{name}="{_guess(path, name)}"' for name in params)
    return f"    {key!r}: obj({filled}),  # each parameter → the object it names ({OBJECTS})"


def _missing_message(kind: str, missing: dict[str, tuple[list[str], str]]) -> str:
    lines = [f"{kind} without a cross-scope entry. Add to propdesk/core/tests/security/routes.py "
             f"(its docstring says what each kind checks; a POST route also needs body=...):"]
    lines += [_suggestion(key, params, path) for key, (params, path) in missing.items()]
    return "\n".join(lines)


def test_every_url_pattern_has_an_entry():
    missing = {key: (sorted(page.pattern.pattern.regex.groupindex), page.route)
               for key, page in url_patterns().items() if not page.is_admin and key not in PAGES}
    assert not missing, _missing_message("URL patterns", missing)


def test_every_api_operation_has_an_entry():
    missing = {key: (re.findall(r"{(\w+)}", key), key) for key in api_operations() if key not in API}
    assert not missing, _missing_message("API operations", missing)


def test_every_entry_names_a_route_that_exists():
    pages, operations = url_patterns(), api_operations()
    stale = [key for key, route in PAGES.items() if key not in pages and not route.optional]
    stale += [key for key in API if key not in operations]
    assert not stale, "Entries in routes.py for routes that no longer exist (remove or rename them): " + \
        ", ".join(stale)


def test_every_path_parameter_is_filled():
    """An entry fills each parameter its route has, so that no check requests a path the route does not match."""
    unfilled = []
    for key, page in url_patterns().items():
        if key in PAGES and not page.is_admin:
            wanted = set(page.pattern.pattern.regex.groupindex) - set(page.pattern.default_args)
            if wanted != set(PAGES[key].params):
                unfilled.append(f"{key}: has {sorted(wanted)}, entry fills {sorted(PAGES[key].params)}")
    for key in api_operations():
        wanted = set(re.findall(r"{(\w+)}", key))
        if key in API and wanted != set(API[key].params):
            unfilled.append(f"{key}: has {sorted(wanted)}, entry fills {sorted(API[key].params)}")
    assert not unfilled, "\n".join(unfilled)
