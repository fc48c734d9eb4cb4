"""Dataset entries: the JSON lines of a SageMaker Ground Truth manifest, as Lookout for
Vision reads them.

One line per image: ``source-ref`` (the image's S3 URI) and, for a labeled image, its
classification (``anomaly-label``: 1 anomaly, 0 normal, with ``anomaly-label-metadata``
whose ``class-name`` is ``anomaly`` or ``normal``) and, for a segmentation label, the mask
(``anomaly-mask-ref``, with ``anomaly-mask-ref-metadata.internal-color-map`` naming each
anomaly class and its colour). All the images of a dataset are in one S3 bucket.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

NORMAL = "normal"
ANOMALY = "anomaly"
#: The colour map's name for what is not an anomaly.
BACKGROUND = "background"
#: A JSON line's longest form (the DatasetEntry shape's max).
MAX_LINE_CHARS = 8192
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
#: What an anomaly class may be called (DetectAnomalies' AnomalyName shape).
_CLASS_NAME = re.compile(r"[a-zA-Z0-9]+")


class ManifestError(ValueError):
    """A manifest or a JSON line Lookout for Vision cannot use; says which line and why."""


@dataclass
class Entry:
    """One image of a dataset."""

    #: The JSON line, as ListDatasetEntries returns it.
    line: str
    source_ref: str
    #: NORMAL, ANOMALY, or None for an image not labeled yet.
    label: str | None
    #: When the image was labeled (the label's ``creation-date``) or, unlabeled, added.
    created: datetime
    #: Anomaly class name -> mask colour (``#rrggbb``), for a segmentation label.
    anomaly_classes: dict[str, str] = field(default_factory=dict)
    #: The mask colour of the background, for a segmentation label.
    background_color: str | None = None

    @property
    def bucket(self) -> str:
        return bucket_of(self.source_ref)

    def summary(self) -> str:
        """The entry in ListDatasetEntries: its JSON line."""
        return self.line


def bucket_of(s3_uri: str) -> str:
    return s3_uri[len("s3://") :].split("/", 1)[0]


def parse(text: str, added_at: datetime) -> list[Entry]:
    """The entries of a manifest (one JSON line per image; blank lines are skipped).

    Raises ManifestError for a line that is not a usable JSON line, or for images in more
    than one bucket. A line that names an image again replaces the earlier one."""
    entries: dict[str, Entry] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            entry = _entry(raw, number, added_at)
            entries[entry.source_ref] = entry
    check_one_bucket(entries.values())
    return list(entries.values())


def check_one_bucket(entries: Any, bucket: str | None = None) -> None:
    """Raise ManifestError unless every entry's image is in one bucket (``bucket`` if given)."""
    buckets = {entry.bucket for entry in entries} | ({bucket} if bucket else set())
    if len(buckets) > 1:
        raise ManifestError(
            f"The images of a dataset must be in one S3 bucket; these are in {', '.join(sorted(buckets))}"
        )


def _entry(raw: str, number: int, added_at: datetime) -> Entry:
    where = f"JSON line {number}"
    try:
        document = json.loads(raw)
    except ValueError:
        raise ManifestError(f"{where} is not valid JSON") from None
    if not isinstance(document, dict):
        raise ManifestError(f"{where} is not a JSON object")
    source_ref = document.get("source-ref")
    if (
        not isinstance(source_ref, str)
        or not source_ref.startswith("s3://")
        or "/" not in source_ref[5:]
    ):
        raise ManifestError(f"{where} has no source-ref with the S3 URI of an image")
    line = json.dumps(document, separators=(",", ":"))
    if len(line) > MAX_LINE_CHARS:
        raise ManifestError(f"{where} is longer than {MAX_LINE_CHARS} characters")
    label, labeled_at = _classification(document, where)
    classes, background = _segmentation(document, where)
    return Entry(
        line=line,
        source_ref=source_ref,
        label=label,
        created=labeled_at or added_at,
        anomaly_classes=classes,
        background_color=background,
    )


def _classification(document: dict[str, Any], where: str) -> tuple[str | None, datetime | None]:
    metadata = document.get("anomaly-label-metadata")
    if "anomaly-label" not in document and metadata is None:
        return None, None
    if not isinstance(metadata, dict):
        raise ManifestError(f"{where} has an anomaly-label without anomaly-label-metadata")
    # The class name says it; without one, the label's index does (0 normal, 1 anomaly).
    label = metadata.get("class-name")
    index = document.get("anomaly-label")
    if label is None and type(index) is int:
        label = {0: NORMAL, 1: ANOMALY}.get(index)
    if label not in (NORMAL, ANOMALY):
        raise ManifestError(
            f"{where} is labeled {label!r}; the class-name must be normal or anomaly"
        )
    return label, _date(metadata.get("creation-date"), where)


def _segmentation(document: dict[str, Any], where: str) -> tuple[dict[str, str], str | None]:
    if "anomaly-mask-ref" not in document:
        return {}, None
    metadata = document.get("anomaly-mask-ref-metadata")
    color_map = metadata.get("internal-color-map") if isinstance(metadata, dict) else None
    if not isinstance(color_map, dict):
        raise ManifestError(f"{where} has an anomaly-mask-ref without an internal-color-map")
    classes: dict[str, str] = {}
    background = None
    for item in color_map.values():
        if not isinstance(item, dict) or not isinstance(item.get("class-name"), str):
            raise ManifestError(f"{where} has an internal-color-map entry without a class-name")
        name, color = item["class-name"], item.get("hex-color")
        if not isinstance(color, str) or not _COLOR.fullmatch(color):
            raise ManifestError(f"{where} gives {name!r} a hex-color that is not #rrggbb")
        if name.lower() == BACKGROUND:
            background = color
        elif _CLASS_NAME.fullmatch(name):
            classes[name] = color
        else:
            raise ManifestError(f"{where} has anomaly class {name!r}; use letters and digits only")
    return classes, background


def _date(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ManifestError(f"{where} has a creation-date that is not an ISO 8601 date") from None
    # Ground Truth writes its dates without a zone: they are UTC.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
