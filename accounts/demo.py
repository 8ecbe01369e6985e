"""Demo logins for `make run` (never run this in production: the passwords are public)."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from articles.services import editors_group_ensure
from reminders.models import ReminderKind
from reminders.services import reminder_setting_update
from tracker.demo import demo_data_ensure

DEMO_USER = ("demo@example.com", "restwell-demo")
DEMO_EDITOR = ("editor@example.com", "restwell-editor")


def _account(email: str, password: str, **fields) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults=fields)
    for name, value in fields.items():
        setattr(user, name, value)
    user.set_password(password)
    if user.health_data_consent_at is None:
        user.health_data_consent_at = timezone.now()
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def demo_accounts_ensure() -> tuple[User, User]:
    # Past onboarding, with the evening reminder on: a newcomer sees the product working.
    user = _account(
        *DEMO_USER, display_name="Sam", time_zone="Europe/London", onboarded_at=timezone.now()
    )
    editor = _account(*DEMO_EDITOR, display_name="Eddie (editor)", is_staff=True)
    editor.groups.add(editors_group_ensure())
    demo_data_ensure(user=user)  # ~60 nights: a baseline month, then a magnesium month
    reminder_setting_update(user=user, kind=ReminderKind.EVENING, enabled=True)
    return user, editor
