"""Source dialects by manifest source.engine (see base.py for what a dialect answers)."""

from __future__ import annotations

from ..errors import TableError
from .base import ClockReading, Dialect, SourceColumn
from .mysql import MYSQL
from .postgres import POSTGRES

DIALECTS: dict[str, Dialect] = {"mariadb": MYSQL, "mysql": MYSQL, "postgresql": POSTGRES}
LOADABLE_ENGINES = tuple(DIALECTS)


def dialect_for(engine: str) -> Dialect:
    dialect = DIALECTS.get(engine)
    if dialect is None:
        raise TableError(
            f"run manifest source.engine {engine!r} cannot be loaded by this job "
            f"(it loads {', '.join(LOADABLE_ENGINES)}; set lake:source.engine to one of them)"
        )
    return dialect


__all__ = ["DIALECTS", "LOADABLE_ENGINES", "ClockReading", "Dialect", "SourceColumn", "dialect_for"]
