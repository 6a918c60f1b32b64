"""A gateway stand-in for tests that run a real worker in a subprocess: it appends each message's key to the file
named by PROPDESK_TEST_SENT_FILE, one line per delivery, PROPDESK_TEST_SEND_DELAY seconds after it is called and
PROPDESK_TEST_ANSWER_DELAY seconds before it returns (a gateway that has taken the message but not yet answered).
Configured with PROPDESK_CHANNELS='{"sms": "propdesk.notify.tests.file_channel.FileChannel"}'.
It does not deduplicate: every line is a message the resident would have received."""

import os
import time


class FileChannel:
    def send(self, *, to, subject, body, key, **_):
        time.sleep(float(os.environ.get("PROPDESK_TEST_SEND_DELAY", "0")))
        with open(os.environ["PROPDESK_TEST_SENT_FILE"], "a", encoding="utf-8") as sent:
            sent.write(key + "\n")
        time.sleep(float(os.environ.get("PROPDESK_TEST_ANSWER_DELAY", "0")))
