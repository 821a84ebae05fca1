"""The per-table state item (handlers/contracts/STATE.md): lease check, commit and failure.

Every write is one conditional UpdateItem that only the lease holder (leaseRunId = run id)
can make; its expressions come from handlers/contracts/state-table.json, the file the
coordinator's store reads too. The endpoint comes from the usual AWS settings
(AWS_ENDPOINT_URL_DYNAMODB locally).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .contract_files import load_contract
from .errors import LeaseNotHeld

MAX_ERROR_CHARS = 2000
STATE_CONTRACT = "state-table.json"


def table_key(name: str) -> str:
    """The partition key of a table's item (state-table.json keys.table)."""
    template: str = load_contract(STATE_CONTRACT)["keys"]["table"]
    return template.replace("{table}", name)


def state_update(operation: str, when: tuple[str, ...] = ()) -> dict[str, Any]:
    """UpdateExpression, ConditionExpression (and ExpressionAttributeNames) of a named operation
    of state-table.json; `when` adds the optional SET parts that apply."""
    spec = load_contract(STATE_CONTRACT)["operations"][operation]
    sets = list(spec["set"])
    for part in when:
        sets += spec["setWhen"][part]
    clauses = [
        f"SET {', '.join(sets)}" if sets else "",
        f"REMOVE {', '.join(spec['remove'])}" if spec["remove"] else "",
    ]
    expressions: dict[str, Any] = {
        "UpdateExpression": " ".join(c for c in clauses if c),
        "ConditionExpression": spec["condition"],
    }
    if "names" in spec:
        expressions["ExpressionAttributeNames"] = dict(spec["names"])
    return expressions


@dataclass(frozen=True)
class ReconcileStamp:
    """What a reconcile recorded: when, how many rows it repaired, whether the copy was equal."""

    reconciled_at: str
    repairs: int
    equal: bool


@dataclass(frozen=True)
class Commit:
    watermark: str | None  # None: no position yet (an append table whose source had no row)
    watermark_kind: str | None
    schema_fingerprint: str
    status: str  # LOADED | UNCHANGED
    loaded_at: str
    rows_read: int
    rows_written: int
    duration_ms: int
    reconcile: ReconcileStamp | None = None  # set when a reconcile ran (same UpdateItem)


class StateStore:
    def __init__(self, table_name: str, client: Any | None = None) -> None:
        if client is None:
            import boto3

            client = boto3.client("dynamodb")
        self.client = client
        self.table_name = table_name

    def lease_holder(self, table: str) -> str | None:
        item = self.client.get_item(
            TableName=self.table_name,
            Key={"pk": {"S": table_key(table)}},
            ConsistentRead=True,
        ).get("Item")
        if not item or "leaseRunId" not in item:
            return None
        return str(item["leaseRunId"]["S"])

    def require_lease(self, table: str, run_id: str) -> None:
        holder = self.lease_holder(table)
        if holder != run_id:
            who = f"run {holder}" if holder else "no run"
            raise LeaseNotHeld(f"table {table} is leased by {who}, not by {run_id}")

    def commit(self, table: str, run_id: str, c: Commit) -> None:
        """The state commit; without a watermark the stored one (if any) is left as it is."""
        values: dict[str, Any] = {
            ":f": {"S": c.schema_fingerprint},
            ":s": {"S": c.status},
            ":at": {"S": c.loaded_at},
            ":r": {"N": str(c.rows_read)},
            ":wr": {"N": str(c.rows_written)},
            ":d": {"N": str(c.duration_ms)},
        }
        when: list[str] = []
        if c.watermark is not None:
            assert c.watermark_kind is not None
            when.append("position")
            values |= {":w": {"S": c.watermark}, ":k": {"S": c.watermark_kind}}
        if c.reconcile is not None:
            when.append("reconciled")
            self._stamp(c.reconcile, values)
        self._update(table, run_id, "commit", tuple(when), values)

    @staticmethod
    def _stamp(stamp: ReconcileStamp, values: dict[str, Any]) -> None:
        values |= {
            ":ra": {"S": stamp.reconciled_at},
            ":rr": {"N": str(stamp.repairs)},
            ":re": {"BOOL": stamp.equal},
        }

    def commit_reconcile(self, table: str, run_id: str, stamp: ReconcileStamp) -> None:
        """A reconcile without a load (skipLoad): records it and releases the lease; the
        watermark and the load's attributes stay as they were."""
        values: dict[str, Any] = {}
        self._stamp(stamp, values)
        self._update(table, run_id, "commitReconcile", (), values)

    def fail(self, table: str, run_id: str, error: str) -> None:
        self._update(
            table,
            run_id,
            "fail",
            (),
            {":failed": {"S": "FAILED"}, ":e": {"S": error[:MAX_ERROR_CHARS] or "failed"}},
        )

    def _update(self, table: str, run_id: str, operation: str, when: tuple[str, ...], values: dict[str, Any]) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.update_item(
                TableName=self.table_name,
                Key={"pk": {"S": table_key(table)}},
                ExpressionAttributeValues={**values, ":run": {"S": run_id}},
                **state_update(operation, when),
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise LeaseNotHeld(f"state write for {table} refused: run {run_id} no longer holds the lease") from None
            raise
