"""What the accounts app stores about a user (registered for the JSON export)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from accounts.export_registry import exporter, iso


@exporter("accounts.user")
def export_profile(user) -> list[dict]:
    return [
        {
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "language": user.language,
            "bedtime": iso(user.bedtime),
            "wake_time": iso(user.wake_time),
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "health_data_consent_at": iso(user.health_data_consent_at),
            "adult_confirmed_at": iso(user.adult_confirmed_at),
            "kidney_disease": user.kidney_disease,
            "pregnant_or_breastfeeding": user.pregnant_or_breastfeeding,
        }
    ]


@exporter("account.emailaddress")
def export_email_addresses(user) -> list[dict]:
    return [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("pk")
    ]


@exporter("mfa.authenticator")
def export_authenticators(user) -> list[dict]:
    # The type and dates only: secrets and recovery codes never leave the server.
    return [
        {"type": a.type, "created_at": iso(a.created_at), "last_used_at": iso(a.last_used_at)}
        for a in Authenticator.objects.filter(user=user).order_by("pk")
    ]


@exporter("usersessions.usersession")
def export_sessions(user) -> list[dict]:
    return [
        {
            "ip": s.ip,
            "user_agent": s.user_agent,
            "created_at": iso(s.created_at),
            "last_seen_at": iso(s.last_seen_at),
        }
        for s in UserSession.objects.filter(user=user).order_by("pk")
    ]
