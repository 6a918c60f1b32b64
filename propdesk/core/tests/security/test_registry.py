"""The registry covers every route: a URL pattern or API operation without an entry fails here, with the line to
add; an entry whose route is gone fails too."""

from .discovery import api_operations, url_patterns
from .routes import API, PAGES

HOW = ("Add it to propdesk/core/tests/security/routes.py, e.g.\n"
       "    {key!r}: obj(pk=\"request\"),   # one object: path parameter → the scope's object it names\n"
       "    {key!r}: coll(),               # a list or form without an object in its path\n"
       "    {key!r}: public(),             # needs no sign-in, shows no one's data\n"
       "(the module's docstring lists the object names and what each kind expects).")


def test_every_url_pattern_has_an_entry():
    missing = [key for key, page in url_patterns().items() if not page.is_admin and key not in PAGES]
    assert not missing, "URL patterns without a cross-scope entry: " + ", ".join(missing) + "\n" + \
        HOW.format(key=missing[0])


def test_every_api_operation_has_an_entry():
    missing = [key for key in api_operations() if key not in API]
    assert not missing, "API operations without a cross-scope entry: " + ", ".join(missing) + "\n" + \
        HOW.format(key=missing[0])


def test_every_entry_names_a_route_that_exists():
    pages, operations = url_patterns(), api_operations()
    stale = [key for key, route in PAGES.items() if key not in pages and not route.optional]
    stale += [key for key in API if key not in operations]
    assert not stale, "Entries in routes.py for routes that no longer exist (remove or rename them): " + \
        ", ".join(stale)


def test_every_path_parameter_is_filled():
    """An entry fills each parameter its route has, so that no check requests a path the route does not match."""
    import re

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
