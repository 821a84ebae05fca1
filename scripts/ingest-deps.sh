#!/usr/bin/env bash
# Downloads the ingest job's jars from Maven Central into .cache/jars, verified by SHA-256,
# once (cached). Glue 5.1 brings Iceberg itself (--datalake-formats iceberg); only the source
# engine's JDBC driver (MariaDB Connector/J or the PostgreSQL driver) is uploaded for Glue
# (IngestCode, stacks/ingestCodePaths.ts names the same files). Also unpacks the job's pinned
# pure-Python wheels (handlers/ingest/requirements.txt) into lake_ingest/_vendor/, which the job's
# zip carries. Prints the jar folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.cache/jars"
mkdir -p "$dir"
central="https://repo1.maven.org/maven2"

# path in Maven Central | sha256
jars=(
  "org/mariadb/jdbc/mariadb-java-client/3.5.11/mariadb-java-client-3.5.11.jar|42604178b9e57ec08ee0035079961516f086e455d0141f0b22c6eff29fb2fff4"
  "org/postgresql/postgresql/42.7.14/postgresql-42.7.14.jar|73914527305a40cce504b0d3d90b23caf565136912d607ae8ae7c5895512332c"
  "org/apache/iceberg/iceberg-spark-runtime-3.5_2.12/1.10.0/iceberg-spark-runtime-3.5_2.12-1.10.0.jar|70f9471870b2d456167d703c829f098a446b86bb1379eee338c0efa03a341026"
)

for entry in "${jars[@]}"; do
  path="${entry%%|*}"
  want="${entry##*|}"
  file="$dir/$(basename "$path")"
  if [ -f "$file" ] && [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$want" ]; then
    continue
  fi
  tmp="$file.part"
  for attempt in 1 2 3; do
    if curl -fsSL --retry 3 -o "$tmp" "$central/$path"; then break; fi
    echo "download of $path failed (attempt $attempt)" >&2
    sleep 2
  done
  got="$(sha256sum "$tmp" | cut -d' ' -f1)"
  if [ "$got" != "$want" ]; then
    rm -f "$tmp"
    echo "checksum mismatch for $path: got $got, want $want" >&2
    exit 1
  fi
  mv "$tmp" "$file"
done
"$("$root/scripts/python-env.sh")/bin/python" "$root/handlers/ingest/vendor_wheels.py" >/dev/null
echo "$dir"
