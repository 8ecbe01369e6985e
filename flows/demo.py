"""Demo logins for `make run` (never run this in production: the passwords are public).

A flow because it writes through every app: the account (accounts), the editor's group
(articles), ~60 nights of data (tracker) and the evening reminder (reminders).
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import verified_account_ensure
from articles.services import editors_group_ensure
from reminders.models import ReminderKind
from reminders.services import reminder_setting_update
from tracker.demo import demo_data_ensure

DEMO_USER = ("demo@example.com", "restwell-demo")
DEMO_EDITOR = ("editor@example.com", "restwell-editor")


@transaction.atomic
def demo_accounts_ensure() -> tuple[User, User]:
    # Past onboarding, with the evening reminder on: a newcomer sees the product working.
    email, password = DEMO_USER
    user = verified_account_ensure(
        email=email,
        password=password,
        display_name="Sam",
        time_zone="Europe/London",
        onboarded_at=timezone.now(),
    )
    email, password = DEMO_EDITOR
    editor = verified_account_ensure(
        email=email, password=password, display_name="Eddie (editor)", is_staff=True
    )
    editor.groups.add(editors_group_ensure())
    demo_data_ensure(user=user)  # ~60 nights, most of them a finished 4 x 7 experiment
    reminder_setting_update(user=user, kind=ReminderKind.EVENING, enabled=True)
    return user, editor
