"""The service-language check (服务禁用语 / 文明用语): pure Python, no Django, no clock."""

from .matching import Finding, check_text, normalize
from .phrases import PHRASES, Kind, Phrase

__all__ = ["PHRASES", "Finding", "Kind", "Phrase", "check_text", "normalize"]
