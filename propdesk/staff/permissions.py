from .rules.roles import Capability, can


def user_role(user) -> str | None:
    """The role of a signed-in user: a staff role, 'resident', or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return "admin"
    profile = getattr(user, "staff_profile", None) if hasattr(user, "staff_profile") else None
    if profile is not None and profile.is_active:
        return profile.role
    if hasattr(user, "resident"):
        return "resident"
    return None


def user_can(user, capability: Capability) -> bool:
    return can(user_role(user), capability)
