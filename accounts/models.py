import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.time_zones import validate_time_zone

DEFAULT_BEDTIME = datetime.time(22, 30)
DEFAULT_WAKE_TIME = datetime.time(7, 0)


class HealthScreen(models.TextChoices):
    """An answer to a question asked before the first dose (blank: not asked yet)."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using Restwell. Email is the login; the profile owns zone and sleep schedule."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    bedtime = models.TimeField(_("usual bedtime"), default=DEFAULT_BEDTIME)
    wake_time = models.TimeField(_("usual wake time"), default=DEFAULT_WAKE_TIME)
    health_data_consent_at = models.DateTimeField(
        _("consented to health-data processing at"), null=True, blank=True
    )
    onboarded_at = models.DateTimeField(_("onboarding finished at"), null=True, blank=True)
    # The language emails are written in: the one the site was shown in at sign-up (blank:
    # the site's default). With a second entry in LANGUAGES it needs no code change.
    # No choices here: adding a language must not need a migration.
    language = models.CharField(_("language"), max_length=16, blank=True)
    # Screens before the first dose (onboarding, profile): a "yes" turns on a caution note.
    kidney_disease = models.CharField(
        _("kidney disease"), max_length=10, choices=HealthScreen, blank=True
    )
    pregnant_or_breastfeeding = models.CharField(
        _("pregnant or breastfeeding"), max_length=10, choices=HealthScreen, blank=True
    )
    # Sign-up asks for it: the upper level and every number Restwell shows are for adults.
    adult_confirmed_at = models.DateTimeField(_("confirmed 18 or older at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE

    @property
    def report_name(self) -> str:
        """Who a report is about: the display name, else the email address (a clinician
        needs to know whose log it is; a greeting does not, so greetings use the name only)."""
        return self.display_name or self.email
