"""The VAPID key pair: made once for `make run` under var/, read back the same."""

import stat

import pytest

from portal import vapid


def test_the_development_pair_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "var" / "vapid.json"
    first = vapid.keys_file_ensure(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert vapid.keys_file_ensure(path) == first == vapid.keys_file_read(path)
    # The public key is the private key's point, in the form PushManager.subscribe takes.
    assert vapid.public_key_text(vapid.private_key_load(first["private"])) == first["public"]
    assert len(vapid.b64url_decode(first["public"])) == 65


def test_a_missing_or_broken_file_reads_as_no_keys(tmp_path):
    assert vapid.keys_file_read(tmp_path / "absent.json") == {"private": "", "public": ""}
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert vapid.keys_file_read(broken) == {"private": "", "public": ""}


def test_a_private_key_of_the_wrong_size_is_refused():
    with pytest.raises(ValueError, match="32-byte"):
        vapid.private_key_load(vapid.b64url(b"short"))
