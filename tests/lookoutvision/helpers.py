"""Lookout for Vision test material: manifests in moto's S3, images, a trained model."""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

from tests.modes import Aws

PROJECT = "circuit-boards"
BUCKET = "lv-data"
OUTPUT = {"S3Location": {"Bucket": BUCKET, "Prefix": "out/"}}
DATASET_KIND = "lookoutvision::dataset"
UPDATE_KIND = "lookoutvision::dataset-update"
MODEL_KIND = "lookoutvision::model"
HOSTING_KIND = "lookoutvision::model-hosting"
PACKAGING_KIND = "lookoutvision::model-packaging-job"
GREENGRASS = {
    "S3OutputLocation": {"Bucket": BUCKET, "Prefix": "packages/"},
    "ComponentName": "inspector",
}
SEGMENTATION_COLORS = {"scratch": "#2ca02c", "dent": "#1f77b4"}


def line(
    index: int, label: str | None = "normal", day: int = 1, bucket: str = BUCKET, **extra: Any
) -> dict[str, Any]:
    """A classification JSON line for image ``board-<index>.jpg`` (unlabeled if ``label`` is None)."""
    entry: dict[str, Any] = {"source-ref": f"s3://{bucket}/images/board-{index}.jpg", **extra}
    if label is not None:
        entry["anomaly-label"] = 1 if label == "anomaly" else 0
        entry["anomaly-label-metadata"] = {
            "class-name": label,
            "creation-date": f"2026-01-{day:02d}T00:00:00.000",
            "human-annotated": "yes",
            "job-name": "labeling-job/boards",
            "type": "groundtruth/image-classification",
        }
    return entry


def segmentation_line(index: int, classes: dict[str, str] = SEGMENTATION_COLORS) -> dict[str, Any]:
    color_map = {"0": {"class-name": "BACKGROUND", "hex-color": "#ffffff", "confidence": 0.0}}
    for number, (name, color) in enumerate(classes.items(), start=1):
        color_map[str(number)] = {"class-name": name, "hex-color": color, "confidence": 0.0}
    return line(
        index,
        "anomaly",
        **{
            "anomaly-mask-ref": f"s3://{BUCKET}/masks/board-{index}.png",
            "anomaly-mask-ref-metadata": {
                "internal-color-map": color_map,
                "type": "groundtruth/semantic-segmentation",
                "human-annotated": "yes",
            },
        },
    )


def jsonl(lines: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(entry) for entry in lines)


def standard_lines(count: int = 6) -> list[dict[str, Any]]:
    """``count`` labeled images, every third one an anomaly."""
    return [line(i, "anomaly" if i % 3 == 0 else "normal", day=i + 1) for i in range(count)]


def put_manifest(
    aws: Aws, lines: list[dict[str, Any]], key: str = "train.manifest"
) -> dict[str, str]:
    """The manifest in moto's S3; returns its DatasetSource."""
    s3 = aws.client("s3")
    if BUCKET not in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]:
        s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=key, Body=jsonl(lines).encode())
    return {"GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Key": key}}}  # type: ignore[dict-item]


def project_with_dataset(
    aws: Aws, lines: list[dict[str, Any]] | None = None, project: str = PROJECT
) -> Any:
    """A project whose train dataset comes from a manifest in moto's S3; returns the client."""
    lv = aws.client("lookoutvision")
    lv.create_project(ProjectName=project)
    source = put_manifest(aws, lines or standard_lines())
    lv.create_dataset(ProjectName=project, DatasetType="train", DatasetSource=source)
    return lv


def trained_model(aws: Aws, lines: list[dict[str, Any]] | None = None) -> Any:
    """A project with a trained model version 1 (default progression); returns the client."""
    lv = project_with_dataset(aws, lines)
    lv.create_model(ProjectName=PROJECT, OutputConfig=OUTPUT)
    return lv


def hosted_model(aws: Aws, lines: list[dict[str, Any]] | None = None) -> Any:
    lv = trained_model(aws, lines)
    lv.start_model(ProjectName=PROJECT, ModelVersion="1", MinInferenceUnits=1)
    return lv


# -- images (written here, independently of mlmocks' own PNG writer) -----------------------


def png(width: int = 64, height: int = 64, extra: bytes = b"") -> bytes:
    """A valid grey PNG, with ``extra`` bytes after its end."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = (b"\x00" + b"\x80" * width) * height
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
        + extra
    )


def jpeg(width: int = 64, height: int = 64, extra: bytes = b"") -> bytes:
    """JPEG headers as far as the frame (APP0, a quantization table, SOF0), then the end."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes(range(1, 65))
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + dqt + sof0 + b"\xff\xd9" + extra


def read_png(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, raw RGB rows with their filter bytes) of an RGB PNG."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    position, idat, width, height = 8, b"", 0, 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    return width, height, zlib.decompress(idat)
