"""Every route the project answers: the URL patterns (walked from the root resolver) and the API operations (from
the NinjaAPI's OpenAPI document). Keys are what the registry (routes.py) is keyed by:

- a URL pattern: ``namespace:name`` (``servicedesk:request_detail``), or its route text when it has no name;
- an API operation: ``METHOD /api/path/{param}`` as the OpenAPI document spells it.

The API's own URL patterns (one per path, serving every method) are covered by the operations, not listed here.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

ADMIN_NAMESPACE = "admin"


@dataclass(frozen=True)
class Page:
    key: str
    route: str  # the pattern text from the root, e.g. "desk/requests/<int:pk>/"
    pattern: URLPattern
    namespace: str

    @property
    def is_admin(self) -> bool:
        return self.namespace == ADMIN_NAMESPACE


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern),
                             ":".join(n for n in (namespace, pattern.namespace) if n))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def _is_api_operation(pattern: URLPattern) -> bool:
    return pattern.lookup_str.startswith("ninja.operation.")


def url_patterns() -> dict[str, Page]:
    pages = {}
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        if _is_api_operation(pattern):
            continue
        key = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or route)
        if key in pages:  # two patterns under one name (a path with and without a trailing part): keep both
            key = f"{key} {route}"
        pages[key] = Page(key, route, pattern, namespace.split(":")[0])
    return pages


def api_operations() -> dict[str, str]:
    """``"GET /api/desk/requests/{request_id}"`` → the OpenAPI operationId."""
    from config.api import api

    schema = api.get_openapi_schema()
    operations = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method.lower() in ("get", "post", "put", "patch", "delete"):
                operations[f"{method.upper()} {path}"] = operation.get("operationId", "")
    return operations
