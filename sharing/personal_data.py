"""What the sharing app stores about a user (registered for the account's JSON export).

The token's digest is left out: it opens nothing by itself and means nothing to a reader.
"""

from accounts.export_registry import exporter, iso
from sharing.models import ShareLink


@exporter("sharing.sharelink")
def export_share_links(user) -> list[dict]:
    return [
        {
            "label": link.label,
            "first_evening": iso(link.start),
            "last_evening": iso(link.end),
            "include_experiment": link.include_experiment,
            "has_passcode": link.has_passcode,
            "created_at": iso(link.created_at),
            "expires_at": iso(link.expires_at),
            "revoked_at": iso(link.revoked_at),
            "opened_at": [iso(view.viewed_at) for view in link.views.all()],
        }
        for link in ShareLink.objects.filter(user=user).prefetch_related("views")
    ]
