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
    """WIFI: all, best first; CELLULAR: shorter side at most 720 (else the smallest); DATA_SAVER: leanest."""
    best_first = sorted(renditions, key=lambda r: (-r.bitrate_kbps, -r.width * r.height))
    if not best_first or network is Network.WIFI:
        return best_first
    if network is Network.DATA_SAVER:
        return [min(best_first, key=lambda r: (r.bitrate_kbps, r.width * r.height))]
    fitting = [r for r in best_first if min(r.width, r.height) <= 720]
    return fitting or [min(best_first, key=lambda r: (r.width * r.height, r.bitrate_kbps))]


# The renditions our encoder makes, by height: (width, height, bitrate in kbps).
VIDEO_LADDER: dict[int, tuple[int, int, int]] = {
    1080: (1920, 1080, 4500),
    720: (1280, 720, 2500),
    480: (854, 480, 1200),
    360: (640, 360, 700),
}


@dataclass(frozen=True)
class StoredVideo:
    """A product video on the CDN: `path` is the folder of its poster, HLS playlist and MP4 renditions."""

    host: str
    path: str
    duration_seconds: int
    heights: tuple[int, ...]
    poster_width: int = 1920
    poster_height: int = 1080

    @property
    def poster(self) -> StoredImage:
        return StoredImage(self.host, f"{self.path}/poster.jpg", self.poster_width, self.poster_height)

    @property
    def hls_url(self) -> str:
        return f"https://{self.host}/{self.path}/master.m3u8"

    def renditions(self) -> list[Rendition]:
        found: list[Rendition] = []
        for height in self.heights:
            width, ladder_height, bitrate = VIDEO_LADDER[height]
            url = f"https://{self.host}/{self.path}/{ladder_height}p.mp4"
            found.append(Rendition(url, "video/mp4", width, ladder_height, bitrate))
        return found
