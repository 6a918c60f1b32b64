"""The log as an operator reads it: one line per event, and no traceback for a page the user may not open."""

import copy
import io
import logging.config

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_output():
    """The project's LOGGING config, writing to a buffer instead of stderr; restored afterwards."""
    buffer = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)
    try:
        yield buffer
    finally:
        logging.config.dictConfig(settings.LOGGING)


@pytest.mark.parametrize("logger_name", ["django.request", "django.server", "propdesk.servicedesk"])
def test_each_line_reaches_one_handler(logger_name, settings):
    """Django's own console handlers write only in DEBUG, which is where every line came out twice."""
    settings.DEBUG = True
    logging.config.dictConfig(settings.LOGGING)
    record = logging.makeLogRecord({"name": logger_name, "levelno": logging.WARNING, "levelname": "WARNING",
                                    "msg": "Not Found: /nowhere/"})
    reached, logger = [], logging.getLogger(logger_name)
    while logger is not None:
        reached += [handler for handler in logger.handlers if handler.filter(record)]
        logger = logger.parent if logger.propagate else None

    assert len(reached) == 1


def test_a_refused_page_logs_one_line_without_a_traceback(world, login, log_output):
    response = login(world.users["resident_a"]).get("/desk/intake/")

    assert response.status_code == 403
    output = log_output.getvalue()
    assert "Forbidden" in output and "/desk/intake/" in output
    assert "Traceback" not in output
    assert len([line for line in output.splitlines() if "Forbidden" in line]) == 1


def test_a_server_error_keeps_its_traceback(log_output):
    try:
        raise RuntimeError("database went away")
    except RuntimeError:
        logging.getLogger("django.request").error("Internal Server Error: %s", "/x/", exc_info=True,
                                                  extra={"status_code": 500})

    assert "Traceback" in log_output.getvalue() and "database went away" in log_output.getvalue()
