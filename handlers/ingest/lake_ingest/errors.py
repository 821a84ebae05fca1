"""Errors that fail one table (never the whole job)."""


class TableError(Exception):
    """A table cannot be loaded; the message is recorded as lastError (no secrets in it)."""


class SourceTableMissing(TableError):
    pass


class IncompatibleSchemaChange(TableError):
    pass


class LeaseNotHeld(Exception):
    """The state table says another run (or none) holds this table: the job must not touch it."""


class ManifestError(Exception):
    pass


class TableMoved(TableError):
    """The full copy got a new snapshot after this load started (another writer): not published."""
