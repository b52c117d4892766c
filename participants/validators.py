"""The field validators under the name the migrations use; they live in participants.identity."""

from participants.identity import validate_kk, validate_nik

__all__ = ["validate_kk", "validate_nik"]
