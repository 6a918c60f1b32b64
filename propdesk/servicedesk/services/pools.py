"""Whether a department's pool has anyone who can grab from it (dispatch refuses an empty pool; the work-order
service checks it too when an order is put back in the pool)."""

from django.utils.translation import gettext as _

from propdesk.org.models import Department

from .. import selectors


def pool_has_grabbers(department: Department) -> bool:
    return selectors.grabbers().filter(department=department).exists()



def pool_empty_message(department: Department) -> str:
    return _("Nobody in %(department)s can grab orders from its pool: dispatch to a person.") % {
        "department": department.name}
