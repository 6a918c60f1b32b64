"""The project's URLs plus views that fail, to test the error pages (test_error_pages.py)."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("the database went away")


urlpatterns = [path("boom/", boom), path("api/boom/", boom), *urlpatterns]
