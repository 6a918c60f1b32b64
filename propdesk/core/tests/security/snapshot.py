"""What the other scopes hold, row by row, to show that no request changed, added or removed any of it."""

from django.apps import apps
from django.contrib.auth import get_user_model

# How a model's rows reach their project, tried in this order.
LOOKUPS = ("project", "request__project", "work_order__project", "visit__project", "quote__project",
           "incident__project", "resident__project")
IGNORED_FIELDS = {"last_login"}


def _lookup(model):
    names = {f.name for f in model._meta.get_fields()}
    for lookup in LOOKUPS:
        if lookup.split("__")[0] in names:
            return lookup
    return None


def _models():
    for model in apps.get_models():
        if model.__module__.startswith("propdesk.") and not model._meta.proxy:
            yield model


def snapshot(scopes) -> dict[str, list[dict]]:
    """Every row of the given scopes (their projects, the rows that hang off them, their users' rows)."""
    from propdesk.org.models import Branch, Company, Project

    projects = [s.project for s in scopes]
    users = [u.pk for s in scopes for u in s.users.values()]
    state = {}
    for model in _models():
        if model is Project:
            qs = model.objects.filter(pk__in=[p.pk for p in projects])
        elif model in (Branch, Company):
            field = "branch_id" if model is Branch else "company_id"
            qs = model.objects.filter(pk__in={getattr(p, field) for p in projects})
        elif (lookup := _lookup(model)) is not None:
            qs = model.objects.filter(**{f"{lookup}__in": projects})
        elif "recipient" in {f.name for f in model._meta.get_fields()}:
            qs = model.objects.filter(recipient__in=users)
        elif "user" in {f.name for f in model._meta.get_fields()}:
            qs = model.objects.filter(user__in=users)
        else:
            continue
        state[model._meta.label] = _rows(qs)
    state["auth.User"] = _rows(get_user_model().objects.filter(pk__in=users))
    return state


def _rows(qs) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in IGNORED_FIELDS} for row in qs.order_by("pk").values()]


def differences(before: dict, after: dict) -> list[str]:
    changed = []
    for label, rows in before.items():
        if after.get(label) != rows:
            was, now = len(rows), len(after.get(label, []))
            changed.append(f"{label} ({was} → {now} rows)" if was != now else f"{label} (a row changed)")
    return changed
