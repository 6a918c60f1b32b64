"""One error type for everything a user can cause.

Services raise ``ApplicationError(message, extra={"field": [msg, ...]})``; forms turn ``extra`` into
field-level messages and the API into ``{"message": ..., "extra": ...}`` with a 4xx status.
"""

from __future__ import annotations


class ApplicationError(Exception):
    status_code = 400

    def __init__(self, message, extra: dict | None = None, *, status_code: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.extra = extra or {}
        if status_code is not None:
            self.status_code = status_code

    @property
    def field_errors(self) -> dict[str, list[str]]:
        fields = self.extra.get("fields", {})
        return {name: [str(m) for m in (msgs if isinstance(msgs, list | tuple) else [msgs])]
                for name, msgs in fields.items()}


class NotFound(ApplicationError):
    status_code = 404


class PermissionDenied(ApplicationError):
    status_code = 403


def message_text(error: ApplicationError) -> str:
    """The error as one line for a flash message where no form shows the fields: message, then each field's."""
    details = "; ".join(m for messages in error.field_errors.values() for m in messages)
    return f"{error.message} {details}".strip()


def apply_to_form(form, error: ApplicationError) -> None:
    """Put a service error on the form: per field where it names one, else as a form-wide error."""
    placed = False
    for name, messages in error.field_errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, str(error.message))
