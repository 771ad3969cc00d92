"""The rules of a buyer's own catalog lists: saved products and followed suppliers."""

from __future__ import annotations

from app.domain.accounts import Account, Role
from app.domain.errors import Violation, forbidden, not_found


def check_list_change(account: Account, target_exists: bool, what: str) -> list[Violation]:
    """Only buyers keep these lists; a missing target is NOT_FOUND at the mutation's `id`."""
    if account.role is not Role.BUYER:
        return [forbidden(f"Only buyers keep {what}.")]
    if not target_exists:
        return [not_found(("id",))]
    return []
