"""The scope picker (notices/_scope_picker.html): the project's buildings and units, ticked as chosen. Used by the
notice form and by servicedesk's incident pages (an incident's affected scope)."""

from . import selectors


def picker_context(*, project, scope: str, buildings=(), units=(), errors=None) -> dict:
    """What notices/_scope_picker.html needs: the project's buildings and units and what is ticked."""
    return {"picker_project": project, "picker_buildings": selectors.picker_choices(project=project) if project else [],
            "picker_scope": scope or "", "picker_selected_buildings": {str(b) for b in buildings},
            "picker_selected_units": {str(u) for u in units}, "picker_errors": errors or {}}


def chosen_ids(post, name: str) -> list[str]:
    """The ticked ids of a picker list as sent (the service checks them)."""
    return [str(v) for v in post.getlist(name)][:2000]
