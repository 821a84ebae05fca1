"""lake_ingest: the Glue (PySpark) ingest job's package.

Glue runs handlers/ingest/ingest_job.py as the job script and imports this package from the zip
passed with --extra-py-files (built by handlers/ingest/build_zip.py, or by IngestCode at deploy).
"""

__all__ = ["__version__"]
__version__ = "1.0.0"
