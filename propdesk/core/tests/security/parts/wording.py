"""The service-language check (issue 16) in each scope: a writer named after the scope sent a reply with 不知道, so a
report that leaked another scope's rows would show that writer's name."""

from propdesk.core.testing import make_user
from propdesk.wording.services import wording_record


def populate(ctx):
    writer = make_user(f"{ctx.tag}_wording_agent", role="agent", project=ctx.project,
                       display_name=f"{ctx.marker}用语客服")
    wording_record(user=writer, project=ctx.project, source="reply", source_id=ctx.request.pk,
                   text="这个我也不知道，你自己看着办", now=ctx.now)
    return {}, (f"{ctx.marker}用语客服",)
