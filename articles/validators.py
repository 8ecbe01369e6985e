import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^\d{1,10}$")


def validate_doi(value: str) -> None:
    if not _DOI.match(value):
        raise ValidationError(
            _("Enter a DOI such as 10.5664/jcsm.11390 (without https://doi.org/)."), code="doi"
        )


def validate_pubmed_id(value: str) -> None:
    if not _PMID.match(value):
        raise ValidationError(_("Enter the PubMed id as digits only, e.g. 31678661."), code="pmid")
