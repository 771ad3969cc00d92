"""Media rules: CDN image URLs on a fixed width ladder, and video renditions per network."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CDN_WIDTHS = (160, 320, 480, 640, 960, 1280, 1920)


class ImageFormat(StrEnum):
    JPEG = "jpeg"
    WEBP = "webp"
    AVIF = "avif"


class Network(StrEnum):
    WIFI = "WIFI"
    CELLULAR = "CELLULAR"
    DATA_SAVER = "DATA_SAVER"


@dataclass(frozen=True)
class StoredImage:
    """An original on the CDN: `path` is relative to the CDN host."""

    host: str
    path: str
    width: int
    height: int
    alt: str | None = None


@dataclass(frozen=True)
class Rendition:
    url: str
    mime_type: str
    width: int
    height: int
    bitrate_kbps: int


def snap_width(width: int | None, original: int) -> int:
    """The CDN size at or above the asked width (so caches stay warm), capped at the ladder's top."""
    wanted = original if width is None or width <= 0 else width
    for size in CDN_WIDTHS:
        if size >= wanted:
            return size
    return CDN_WIDTHS[-1]


def image_url(image: StoredImage, width: int | None, image_format: ImageFormat | None) -> str:
    size = snap_width(width, image.width)
    chosen = image_format or ImageFormat.JPEG
    return f"https://{image.host}/w{size}/{chosen.value}/{image.path}"


def renditions_for(network: Network, renditions: list[Rendition]) -> list[Rendition]:
    """WIFI: all, best first; CELLULAR: shorter side at most 720 (else the smallest); DATA_SAVER: the leanest."""
    best_first = sorted(renditions, key=lambda r: (-r.bitrate_kbps, -r.width * r.height))
    if not best_first or network is Network.WIFI:
        return best_first
    if network is Network.DATA_SAVER:
        return [min(best_first, key=lambda r: (r.bitrate_kbps, r.width * r.height))]
    fitting = [r for r in best_first if min(r.width, r.height) <= 720]
    return fitting or [min(best_first, key=lambda r: (r.width * r.height, r.bitrate_kbps))]
