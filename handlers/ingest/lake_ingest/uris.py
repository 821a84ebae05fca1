"""Small text files by URI: s3://bucket/key, file:///path or a plain path."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse


def _s3() -> Any:  # boto3 ships no types
    import boto3

    return boto3.client("s3")


def read_text(uri: str) -> str:
    parsed = urlparse(uri)
    if parsed.scheme in ("s3", "s3a"):
        body: bytes = _s3().get_object(Bucket=parsed.netloc, Key=parsed.path.lstrip("/"))["Body"].read()
        return body.decode("utf-8")
    with open(local_path(uri), encoding="utf-8") as handle:
        return handle.read()


def write_text(uri: str, text: str) -> None:
    parsed = urlparse(uri)
    if parsed.scheme in ("s3", "s3a"):
        _s3().put_object(
            Bucket=parsed.netloc,
            Key=parsed.path.lstrip("/"),
            Body=text.encode("utf-8"),
            ContentType="application/json",
        )
        return
    path = local_path(uri)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def local_path(uri: str) -> str:
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return parsed.path
    if parsed.scheme == "":
        return uri
    raise ValueError(f"unsupported URI scheme: {uri}")
