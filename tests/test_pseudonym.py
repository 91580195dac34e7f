"""Applicant pseudonyms: normalisation, HMAC keys, key loading; the key never shows."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from scorecard.pseudonym import (
    KEY_ENV,
    KEY_FILE_ENV,
    KEY_HEX_CHARS,
    PseudonymError,
    PseudonymKey,
    applicant_key,
    applicant_keys,
    load_key,
    normalise_id,
)

SECRET = "a-test-key-that-is-long-enough-0123"
KEY = PseudonymKey(SECRET.encode(), "test")


def test_normalise_spacing_case_punctuation() -> None:
    for written in ("001203004567", " 001 203 004 567 ", "001-203-004-567", "001.203.004.567",
                    "'001203004567", "００１２０３００４５６７", "001\u00a0203\t004567"):
        assert normalise_id(written) == "001203004567", written
    assert normalise_id("b 1234567") == "B1234567"  # passport: upper case


def test_numbers_that_lost_their_leading_zeros() -> None:
    assert normalise_id(1203004567) == "001203004567"    # CCCD of province 001, from Excel
    assert normalise_id(12030045678.0) == "012030045678"
    assert normalise_id(12345678) == "012345678"         # old 9-digit CMND
    # the same digits as text: a CSV saved from Excel, a JSON number read as text
    assert normalise_id("1203004567") == normalise_id(" 1203004567 ") == "001203004567"
    assert normalise_id("12345678") == "012345678"
    # only lengths no ID has are padded; letters (passports) and valid lengths never
    assert normalise_id("123456789") == "123456789"
    assert normalise_id("B1234567") == "B1234567" and normalise_id("B123456789") == "B123456789"
    assert normalise_id("1234567") == "1234567"
    with pytest.raises(PseudonymError):
        normalise_id(1.5)
    with pytest.raises(PseudonymError):
        normalise_id(" - . ")


def test_key_is_hmac_sha256_truncated_and_spacing_free() -> None:
    expected = hmac.new(SECRET.encode(), b"001203004567", hashlib.sha256).hexdigest()[:32]
    assert applicant_key("001203004567", KEY) == expected
    assert applicant_key("001 203 004 567", KEY) == expected == applicant_key(1203004567, KEY)
    assert len(expected) == KEY_HEX_CHARS
    # a plain hash of the ID (what anyone could recompute) is not what is stored
    assert expected != hashlib.sha256(b"001203004567").hexdigest()[:32]
    other = PseudonymKey(b"another-key-also-long-enough-987", "test")
    assert applicant_key("001203004567", other) != expected
    assert list(applicant_keys(["001 203 004 567", None, float("nan"), "  ", "0012"], KEY)) == [
        expected, None, None, None, applicant_key("0012", KEY)]


def test_key_never_shows() -> None:
    assert SECRET not in repr(KEY) and SECRET not in str(KEY)
    with pytest.raises(PseudonymError) as err:
        PseudonymKey(b"short", "$X")
    assert "short" not in str(err.value).replace("shorter", "")


def test_load_key_from_env_and_file(tmp_path) -> None:
    assert load_key({}) is None
    k = load_key({KEY_ENV: f"  {SECRET}\n"})
    assert k is not None and applicant_key("1", k) == applicant_key("1", KEY)
    path = tmp_path / "key.txt"
    path.write_text(f"\n{SECRET}\n", encoding="utf-8")
    k = load_key({KEY_FILE_ENV: str(path)})
    assert k is not None and k.origin == str(path) and applicant_key("1", k) == applicant_key("1", KEY)
    assert load_key({}, key_file=path) is not None
    with pytest.raises(PseudonymError, match="cannot read pseudonym key file"):
        load_key({KEY_FILE_ENV: str(tmp_path / "missing")})
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    with pytest.raises(PseudonymError, match="is empty"):
        load_key({}, key_file=tmp_path / "empty")
