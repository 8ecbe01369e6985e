"""What the API app stores about a user (registered for the account's JSON export)."""

from accounts.export_registry import exporter, iso
from api.selectors import token_list


@exporter("api.personalaccesstoken")
def export_tokens(user) -> list[dict]:
    # What each token is and when it was used: never its secret or the secret's hash.
    return [
        {
            "name": t.name,
            "starts_with": t.prefix,
            "scope": t.scope,
            "created_at": iso(t.created_at),
            "expires_at": iso(t.expires_at),
            "last_used_at": iso(t.last_used_at),
            "revoked_at": iso(t.revoked_at),
        }
        for t in token_list(user=user).order_by("created_at", "pk")
    ]
