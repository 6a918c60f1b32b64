"""/reports/: registers (urls_registers), the monthly complaint summary, quarterly visit statistics and public service
reports (urls_summaries), KPIs and the dashboards (urls_dashboards)."""

from . import urls_dashboards, urls_registers, urls_summaries

app_name = "reports"

urlpatterns = [*urls_dashboards.urlpatterns, *urls_registers.urlpatterns, *urls_summaries.urlpatterns]
