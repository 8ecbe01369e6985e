"""Bench-only settings for bench/faults.py: production settings, static files collected into
the run's temporary folder, and (for the compressed "two beats" scenario only, when
FAULTS_TICK_SECONDS is set) the reminder tick every that many seconds instead of every minute.

Not a bench itself (bench/run.py runs bench_*.py only).
"""

import os
from datetime import timedelta

from portal.settings.base import *  # noqa: F403
from portal.settings.base import CELERY_BEAT_SCHEDULE

STATIC_ROOT = os.environ["FAULTS_STATIC_ROOT"]
if os.environ.get("FAULTS_TICK_SECONDS"):
    CELERY_BEAT_SCHEDULE = CELERY_BEAT_SCHEDULE | {
        "reminders-tick": CELERY_BEAT_SCHEDULE["reminders-tick"]
        | {"schedule": timedelta(seconds=float(os.environ["FAULTS_TICK_SECONDS"]))}
    }
