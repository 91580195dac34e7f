"""Vietnamese wording of the reasons a source gives for refusing a record (placeholder)."""

from __future__ import annotations


def reason_vi(reason: str) -> str:
    return reason
