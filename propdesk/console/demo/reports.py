"""Demo public service reports 物业服务报告: every project's manager has published the last two finished months
(figures frozen from the demo history) and has started this month's draft, so residents have something to read and
the manager has something to finish."""

from datetime import date

from propdesk.reports.periods import add_months
from propdesk.reports.services import public_report_publish, public_report_save
from propdesk.staff.models import StaffProfile

IMPROVEMENTS = [
    "更换{building}号楼地下车库照明 48 盏，夜间照度明显提升；\n电梯维保单位增加每周巡检一次，本月电梯困人零起；\n"
    "针对住户反映的垃圾清运不及时，清运时间调整为每日 7:00 和 19:00 两次。",
    "完成小区二次供水水箱清洗消毒，水质检测报告已在各单元公告栏张贴；\n"
    "客服中心延长服务时间至 20:00，方便上班族办理业务；\n{building}号楼外墙渗水维修完成 6 户。",
]
PLANS = [
    "下月将对小区监控系统进行升级，重点覆盖非机动车棚；开展冬季消防安全检查和住户消防演练。",
    "下月计划完成儿童游乐区地面翻新；启动年度住户满意度调查，欢迎大家踊跃参与。",
]


def build_reports(*, today: date, stdout=None) -> int:
    """Publish the last two finished months and leave this month's report as a draft, for every project."""
    count = 0
    this_month = today.replace(day=1)
    managers = StaffProfile.objects.filter(role="project_manager", is_active=True).select_related("project", "user")
    seen = set()
    for profile in managers.order_by("project_id", "id"):
        if profile.project_id in seen or profile.project is None:
            continue
        seen.add(profile.project_id)
        for index, months_back in enumerate((2, 1)):
            month = add_months(this_month, -months_back)
            public_report_save(actor=profile.user, project=profile.project, month=month,
                               improvements=IMPROVEMENTS[index].format(building=3 + index), plans=PLANS[index])
            public_report_publish(actor=profile.user, project=profile.project, month=month)
            count += 1
        public_report_save(actor=profile.user, project=profile.project, month=this_month,
                           improvements="（草稿）本月已完成：", plans="")
    if stdout is not None:
        stdout.write(f"  {count} public service reports published")
    return count
