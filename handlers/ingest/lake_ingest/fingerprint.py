"""Schema fingerprint: sha256 of the ordered (lake column name, Spark type) list the job saw.

Text hashed: JSON of [[name, type.simpleString()], ...] with no spaces, e.g.
[["customer_id","decimal(20,0)"],["email","string"]]. The coordinator compares it with
catalogFingerprint to decide whether the crawler must run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable


def schema_fingerprint(columns: Iterable[tuple[str, str]]) -> str:
    text = json.dumps([[name, kind] for name, kind in columns], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
