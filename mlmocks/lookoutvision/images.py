"""What DetectAnomalies reads of an image, and the answer it gives.

The image must be a PNG or a JPEG, as its content type says, between 64x64 and 4096x4096
pixels (read from the PNG header or the JPEG frame header; the pixels are not decoded).

The answer is deterministic, so a test can choose it: an image whose bytes contain
``ANOMALY`` is anomalous, any other is normal. The confidence is derived from the bytes
(the same image, the same confidence). A segmentation model reports the anomaly classes
named in the image as ``ANOMALY:<class>`` (an anomalous image that names none shows the
model's first class), each on a band of the mask in its colour, after the background.
Appending the marker to a real image keeps it a valid image (decoders stop at its end).
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from typing import Any

#: What makes an image anomalous (see the module's docstring).
ANOMALY_MARKER = b"ANOMALY"
MIN_SIDE = 64
MAX_SIDE = 4096
CONTENT_TYPES = ("image/png", "image/jpeg")

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: JPEG start-of-frame markers (baseline, progressive, lossless...): they carry the size.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_DEFAULT_BACKGROUND = "#ffffff"


class ImageError(ValueError):
    """An image DetectAnomalies refuses, with the reason."""


def dimensions(body: bytes, content_type: str) -> tuple[int, int]:
    """(width, height) of an image of ``content_type``. Raises ImageError otherwise."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind not in CONTENT_TYPES:
        raise ImageError(
            f"ContentType {content_type} is not supported: use image/png or image/jpeg"
        )
    size = _png_size(body) if kind == "image/png" else _jpeg_size(body)
    if size is None:
        raise ImageError(f"The image is not a valid {kind} image")
    width, height = size
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise ImageError(
            f"The image is {width}x{height} pixels; images must be from {MIN_SIDE}x{MIN_SIDE} "
            f"to {MAX_SIDE}x{MAX_SIDE} pixels"
        )
    return width, height


def detect(
    body: bytes,
    width: int,
    height: int,
    anomaly_classes: dict[str, str] | None,
    background_color: str | None,
) -> dict[str, Any]:
    """The DetectAnomalyResult for an image; ``anomaly_classes`` (name -> colour) only for
    a segmentation model."""
    digest = hashlib.sha256(body).digest()
    anomalous = ANOMALY_MARKER in body
    result: dict[str, Any] = {
        "Source": {"Type": "direct"},
        "IsAnomalous": anomalous,
        "Confidence": round(0.8 + digest[0] / 255 * 0.19, 4),
    }
    if anomaly_classes is None:
        return result
    found = [name for name in anomaly_classes if ANOMALY_MARKER + b":" + name.encode() in body]
    if anomalous and not found and anomaly_classes:
        found = [next(iter(anomaly_classes))]
    # Each class found covers a band of rows (2% to 12% of the image, from the bytes).
    bands: list[tuple[str, str, int]] = []
    remaining = height
    for index, name in enumerate(found):
        rows = min(remaining, max(1, round(height * (0.02 + digest[1 + index % 31] / 255 * 0.1))))
        bands.append((name, anomaly_classes[name], rows))
        remaining -= rows
    background = background_color or _DEFAULT_BACKGROUND
    result["Anomalies"] = [
        _anomaly("background", background, remaining / height),
        *(_anomaly(name, color, rows / height) for name, color, rows in bands),
    ]
    result["AnomalyMask"] = mask_png(
        width, height, background, [(color, rows) for _, color, rows in bands]
    )
    return result


def _anomaly(name: str, color: str, area: float) -> dict[str, Any]:
    return {"Name": name, "PixelAnomaly": {"TotalPercentageArea": round(area, 4), "Color": color}}


def mask_png(width: int, height: int, background: str, bands: list[tuple[str, int]]) -> bytes:
    """An RGB PNG of the image's size: the background, with each (colour, rows) band from
    the top down."""
    rows: list[tuple[bytes, int]] = [(_rgb(color), count) for color, count in bands]
    rows.append((_rgb(background), height - sum(count for _, count in bands)))
    compressor = zlib.compressobj()
    chunks = []
    for pixel, count in rows:
        row = b"\x00" + pixel * width  # filter type 0, then the row's pixels
        chunks.append(compressor.compress(row * count))
    chunks.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        _PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(chunks))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _rgb(color: str) -> bytes:
    return bytes.fromhex(color.lstrip("#"))


def _png_size(body: bytes) -> tuple[int, int] | None:
    if not body.startswith(_PNG_SIGNATURE) or body[12:16] != b"IHDR" or len(body) < 24:
        return None
    width, height = struct.unpack(">II", body[16:24])
    return width, height


def _jpeg_size(body: bytes) -> tuple[int, int] | None:
    if not body.startswith(b"\xff\xd8"):
        return None
    position = 2
    while position + 4 <= len(body):
        if body[position] != 0xFF:
            return None
        marker = body[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD9)):  # markers without a segment
            position += 2
            continue
        (length,) = struct.unpack(">H", body[position + 2 : position + 4])
        if marker in _JPEG_FRAMES:
            if position + 9 > len(body):
                return None
            height, width = struct.unpack(">HH", body[position + 5 : position + 9])
            return width, height
        if marker in (0xD9, 0xDA) or length < 2:  # end, or scan data before any frame
            return None
        position += 2 + length
    return None
