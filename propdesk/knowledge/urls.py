"""Knowledge pages in the ``knowledge`` namespace, included at the root: /knowledge/cases/…, /knowledge/answers/…"""

from django.urls import include, path

app_name = "knowledge"
urlpatterns = [
    path("", include("propdesk.knowledge.views")),
]
