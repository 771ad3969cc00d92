"""Suppliers: the companies that sell, their certificates, and the service index buyers compare them by."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from app.domain.media import StoredImage

YEAR_MS = 365 * 24 * 3600 * 1000
PART_MAX = 25


class CertificateKind(StrEnum):
    PRODUCT = "PRODUCT"
    PATENT = "PATENT"
    TRADEMARK = "TRADEMARK"
    MANAGEMENT = "MANAGEMENT"


@dataclass(frozen=True)
class Certificate:
    kind: CertificateKind
    name: str
    verified: bool


@dataclass(frozen=True)
class Supplier:
    key: str
    seq: int
    version: int
    name: str
    country: str
    region: str | None
    verified: bool
    joined_at: int
    logo: StoredImage | None
    trade_assurance_limit_usd: int | None
    # Kept up to date by the inquiries use cases from real first-reply times; None until known.
    response_rate: float | None
    median_response_minutes: int | None
    on_time_rate: float | None
    certificates: tuple[Certificate, ...]
    vertical_keys: tuple[str, ...]
    created_at: int
    popularity: float = 0.0

    def years_on_platform(self, now: int) -> int:
        return max(0, (now - self.joined_at) // YEAR_MS)


@dataclass(frozen=True)
class ServiceIndex:
    information_display: int
    opportunity_acquisition: int
    opportunity_handling: int
    transaction_fulfillment: int

    @property
    def total(self) -> int:
        return (
            self.information_display
            + self.opportunity_acquisition
            + self.opportunity_handling
            + self.transaction_fulfillment
        )


def _part(value: float) -> int:
    return max(0, min(PART_MAX, round(value)))


def information_display(supplier: Supplier, now: int) -> int:
    """A complete profile: a logo, verified certificates and years of history."""
    verified = sum(1 for c in supplier.certificates if c.verified)
    score = (
        (6 if supplier.logo is not None else 0)
        + 4 * min(verified, 3)
        + min(supplier.years_on_platform(now), 7)
    )
    return _part(score)


def opportunity_acquisition(supplier: Supplier) -> int:
    """Buyer engagement on a log scale: ten times the engagement adds a fixed step."""
    return _part(6 * math.log10(1 + max(supplier.popularity, 0.0)))


def opportunity_handling(supplier: Supplier) -> int:
    """Answering most inquiries, and fast; nothing known scores nothing."""
    rate = supplier.response_rate
    minutes = supplier.median_response_minutes
    score = 15 * rate if rate is not None else 0.0
    if minutes is not None:
        score += 10 if minutes <= 60 else 7 if minutes <= 240 else 4 if minutes <= 1440 else 1
    return _part(score)


def transaction_fulfillment(supplier: Supplier) -> int:
    return _part(25 * supplier.on_time_rate) if supplier.on_time_rate is not None else 0


def service_index(supplier: Supplier, now: int) -> ServiceIndex:
    """Four parts of 0 to 25 each; the total is their sum."""
    return ServiceIndex(
        information_display=information_display(supplier, now),
        opportunity_acquisition=opportunity_acquisition(supplier),
        opportunity_handling=opportunity_handling(supplier),
        transaction_fulfillment=transaction_fulfillment(supplier),
    )
