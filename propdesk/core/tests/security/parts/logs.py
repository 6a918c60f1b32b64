"""Issue 13, logs: a submitted duty log of the scope's engineering department with an item and a manager's comment,
and the shift it belongs to (for starting a duty log without a roster entry)."""

from datetime import time, timedelta

from propdesk.duty.models import ShiftKind
from propdesk.duty.services import logs as services
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department


def populate(ctx):
    eng = Department.objects.get(project=ctx.project, kind=DepartmentKind.ENGINEERING)
    shift = ShiftKind.objects.create(project=ctx.project, department=eng, name=f"{ctx.tag}_logs夜班",
                                     starts=time(20), ends=time(8))
    tech, pm = ctx.people["technician"], ctx.people["project_manager"]
    day = (ctx.now - timedelta(days=2)).date()
    log = services.duty_log_start(actor=tech, now=ctx.now, shift=shift, day=day)
    services.log_update(log=log, actor=tech, body=f"{ctx.marker}值班记录：泵房巡查", now=ctx.now,
                        items=[{"text": f"{ctx.marker}泵房阀门待更换"}])
    services.log_submit(log=log, actor=tech, now=ctx.now)
    services.log_comment(log=log, actor=pm, body=f"{ctx.marker}批示：尽快更换", now=ctx.now)
    return {"duty_log": log.pk, "logs_shift": shift.pk}, (f"{ctx.marker}值班记录", f"{ctx.marker}泵房阀门待更换",
                                                        f"{ctx.marker}批示")
