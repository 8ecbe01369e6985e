"""Sleep-data import: read a sleep tracker's export into suggested diary times per night.

Pure domain code (no database): `read_upload` takes the uploaded file and the user's zone,
wake time and last ended night, and returns one `Candidate` per night. The tracker's service
(`tracker.services.sleep_import`) stores them as suggestions the user confirms night by
night; nothing here writes to the diary. The formats and the mapping rules are described in
`formats.py` and `nights.py`.

Every refusal is a `SleepImportError` whose `message` says what to do, for the form to show.
"""

import dataclasses
import datetime
import zipfile
import zlib
import zoneinfo
from typing import IO

from django.utils.translation import gettext_lazy as _

from tracker import reference
from tracker.sleep_import.formats import (
    FormatError,
    open_apple_zip,
    read_apple_xml,
    read_health_auto_export,
)
from tracker.sleep_import.nights import Candidate, candidates_from_segments, nights_from

MB = 1024 * 1024
EARLIEST_NIGHT = datetime.date(reference.EARLIEST_YEAR, 1, 1)
UPLOAD_MAX_BYTES = reference.SLEEP_IMPORT_UPLOAD_MAX_MB * MB
JSON_MAX_BYTES = reference.SLEEP_IMPORT_JSON_MAX_MB * MB
XML_MAX_BYTES = reference.SLEEP_IMPORT_XML_MAX_MB * MB

HEALTH_AUTO_EXPORT, APPLE_HEALTH = "health_auto_export", "apple_health"

_WHICH_FILES = _(
    "Upload the export.zip from the Health app (Export All Health Data) or a JSON file from "
    "Health Auto Export."
)
MESSAGES = {
    "empty": _("This file is empty. Export your data again and upload the new file."),
    "wrong_type": _("Restwell cannot read this kind of file."),
    "too_large": _("This file is larger than %(mb)s MB, more than Restwell can read."),
    "json_too_large": _(
        "This JSON file is larger than %(mb)s MB. In Health Auto Export, export only Sleep "
        "Analysis, or a shorter date range."
    ),
    "bad_json": _("This JSON file is damaged or incomplete. Export it again and upload it."),
    "not_hae": _("This JSON file is not a Health Auto Export file."),
    "bad_zip": _(
        "This zip file is damaged or incomplete. Export it again from the Health app and "
        "upload the new file."
    ),
    "zip_without_export": _("This zip file has no export.xml in it."),
    "zip_bomb": _("The export.xml in this zip is packed in a way no real export is."),
    "xml_too_large": _(
        "The export.xml in this zip is larger than %(mb)s MB, more than Restwell can read."
    ),
    "bad_xml": _(
        "The export.xml in this file is damaged or incomplete. Export it again from the "
        "Health app and upload the new file."
    ),
    "xml_forbidden": _(
        "The export.xml in this file uses XML features that a Health export never uses, so "
        "Restwell will not read it."
    ),
    "too_slow": _(
        "This export is too large to read in one go. Health Auto Export can export only your "
        "sleep analysis, which is a small file: upload that instead."
    ),
    "no_sleep": _(
        "There are no sleep records in this file. Check that your watch or phone records "
        "sleep and that the export includes Sleep Analysis."
    ),
    "no_nights": _(
        "The sleep records in this file are all from nights that have not ended yet or from "
        "before 1950, so there is nothing to suggest."
    ),
}
# Messages after which the list of accepted files helps.
_ADD_WHICH = {"wrong_type", "not_hae", "zip_without_export"}


class SleepImportError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        limit = {
            "too_large": reference.SLEEP_IMPORT_UPLOAD_MAX_MB,
            "json_too_large": reference.SLEEP_IMPORT_JSON_MAX_MB,
            "xml_too_large": reference.SLEEP_IMPORT_XML_MAX_MB,
        }.get(self.code)
        text = str(MESSAGES[self.code])
        if limit is not None:
            text %= {"mb": limit}
        return f"{text} {_WHICH_FILES}" if self.code in _ADD_WHICH else text


@dataclasses.dataclass
class ImportResult:
    kind: str
    nights: list[Candidate]
    records: int  # sleep records (rows or samples) read
    left_out: int  # sleeps not suggested: naps, second sources, nights out of range


def sniff(head: bytes) -> str | None:
    """Which reader a file needs, from its first bytes (never from its name)."""
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "json"
    if text.startswith(b"<"):
        return "xml"
    return None


def read_upload(
    upload: IO[bytes],
    *,
    size: int,
    zone: zoneinfo.ZoneInfo,
    wake_time: datetime.time,
    newest: datetime.date,
) -> ImportResult:
    """Read an uploaded export (a seekable binary file of `size` bytes)."""
    if size <= 0:
        raise SleepImportError("empty")
    if size > UPLOAD_MAX_BYTES:
        raise SleepImportError("too_large")
    upload.seek(0)
    kind = sniff(upload.read(64))
    upload.seek(0)
    try:
        if kind == "json":
            if size > JSON_MAX_BYTES:
                raise SleepImportError("json_too_large")
            summaries, samples, records = read_health_auto_export(upload.read())
            found, source = summaries + candidates_from_segments(samples), HEALTH_AUTO_EXPORT
        elif kind in ("zip", "xml"):
            found, records = _read_apple(upload, kind)
            source = APPLE_HEALTH
        else:
            raise SleepImportError("wrong_type")
    except FormatError as error:
        raise SleepImportError(error.code) from None
    if not records:
        raise SleepImportError("no_sleep")
    nights, left_out = nights_from(
        found, zone=zone, wake_time=wake_time, newest=newest, oldest=EARLIEST_NIGHT
    )
    if not nights:
        raise SleepImportError("no_nights")
    return ImportResult(kind=source, nights=nights, records=records, left_out=left_out)


def _read_apple(upload: IO[bytes], kind: str) -> tuple[list[Candidate], int]:
    archive = None
    stream: IO[bytes] = upload
    if kind == "zip":
        archive, stream = open_apple_zip(
            upload,
            xml_max_bytes=XML_MAX_BYTES,
            max_ratio=reference.SLEEP_IMPORT_ZIP_MAX_RATIO,
        )
    try:
        segments = list(read_apple_xml(stream, seconds=reference.SLEEP_IMPORT_READ_SECONDS))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise FormatError("bad_zip") from None
    finally:
        if archive is not None:
            archive.close()
    return candidates_from_segments(segments), len(segments)
