"""Validation: profiles of SHACL shapes, one validate() function, reports in nl and en."""

from __future__ import annotations

from catalogue.validation.profiles import (
    BUILTIN,
    DEFAULT_PROFILE,
    Profile,
    all_profiles,
    find_profile,
    profile_from_files,
)
from catalogue.validation.report import ValidationReport, ValidationResult
from catalogue.validation.validate import validate, validate_bytes, validate_files

__all__ = [
    "BUILTIN",
    "DEFAULT_PROFILE",
    "Profile",
    "ValidationReport",
    "ValidationResult",
    "all_profiles",
    "find_profile",
    "profile_from_files",
    "validate",
    "validate_bytes",
    "validate_files",
]
