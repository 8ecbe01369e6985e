"""What the articles app stores about a user: a medical reviewer's public name and credentials
(registered for the account's JSON export)."""

from accounts.export_registry import exporter
from articles.models import MedicalReviewer


@exporter("articles.medicalreviewer")
def export_medical_reviewer(user) -> list[dict]:
    return [
        {"display_name": r.display_name, "credentials": r.credentials}
        for r in MedicalReviewer.objects.filter(user=user)
    ]
