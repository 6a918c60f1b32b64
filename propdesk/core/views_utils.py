import ipaddress
from contextlib import contextmanager
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404


@contextmanager
def scoped_404():
    """Anything outside the user's scope is simply not there: 404, never 403, so that ids leak nothing."""
    try:
        yield
    except ObjectDoesNotExist as exc:
        raise Http404(str(exc)) from None


def capability_required(capability):
    """Signed-in user whose role has ``capability``; else login redirect or 403."""
    from propdesk.staff.permissions import user_can

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_can(request.user, capability):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def client_ip(request) -> str | None:
    """The client's address for the audit log: REMOTE_ADDR as the server gives it. `propdesk serve` puts the client's
    own address there when the peer is a trusted proxy (TRUSTED_PROXY) and leaves the peer's otherwise, so a forged
    X-Forwarded-For from anyone else changes nothing. Not an IP address (a unix socket): None."""
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
