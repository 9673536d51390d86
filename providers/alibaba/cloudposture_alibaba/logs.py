"""The Alibaba Cloud SDKs' loggers, kept quiet whatever the environment says.

``darabonba.core`` sets its logger ``darabonba-core`` to DEBUG with a handler of its own when
it is imported, and with ``DEBUG=sdk`` in the environment it logs every request's headers:
the ``authorization`` signature and the STS ``x-acs-security-token``. The core's logging set-up
runs before the SDK is imported, so the provider lowers these loggers again once it has
imported the SDK, before the first request.
"""

from __future__ import annotations

import logging

SDK_LOGGERS = ("darabonba-core", "alibabacloud-tea", "credentials", "urllib3")
"""darabonba and Tea log requests; the credentials library logs refreshes."""


def quiet_sdk_loggers() -> None:
    for name in SDK_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
