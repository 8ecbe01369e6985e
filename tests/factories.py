import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from reminders import tokens

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user with a verified primary email (as after the verification link)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    time_zone = "Europe/London"
    health_data_consent_at = factory.LazyFunction(timezone.now)
    adult_confirmed_at = factory.LazyFunction(timezone.now)
    # Past the one-time onboarding screen; pass onboarded_at=None for a first sign-in.
    onboarded_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def link_token(*, purpose: str, user_id: int, delivery_id: int) -> str:
    """One email-link token, signed as the sender signs them (several per email)."""
    return tokens.tokens_make(purposes=[purpose], user_id=user_id, delivery_id=delivery_id)[purpose]
