"""The exact text of a double, "<sign><m>p<e>", written once for every SQL engine that needs it.

m is the integer mantissa in [2^52, 2^53) (fewer bits for subnormals) and e the power of two, so
the text is the exact binary value and no engine's decimal formatting is involved (Java 17's
Double.toString is not always the shortest, MariaDB's is). 0 and -0 are "0"; NaN and the two
infinities are "NaN", "Inf" and "-Inf" where the engine has them. Every operation below is exact
in IEEE arithmetic (scaling by powers of two); the log only guesses the exponent and is corrected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FloatFunctions:
    """One engine's spelling of the few functions the text needs."""

    pow2: Callable[[str], str]  # 2 to the power of an integral double expression
    log2: Callable[[str], str]  # an approximate base-2 logarithm of a positive double
    to_int: str  # the 64-bit integer type for CAST
    # (condition, text) pairs tested first: NaN and the infinities, on engines that have them
    specials: tuple[tuple[str, str], ...] = ()


def exact_double_text(x: str, f: FloatFunctions) -> str:
    """SQL: the canonical text of the double expression x (NULL for NULL)."""
    a = f"ABS({x})"
    e0 = f"LEAST(GREATEST(FLOOR({f.log2(a)}), -1074), 1023)"
    e = f"({e0} + (CASE WHEN {a} / {f.pow2(e0)} >= 2 THEN 1 WHEN {a} < {f.pow2(e0)} THEN -1 ELSE 0 END))"
    # Subnormals (e < -1022): 2^(e-52) would underflow to 0, so scale up by 2^200 first.
    m = f"(CASE WHEN {e} >= -1000 THEN {a} / {f.pow2(f'{e} - 52')} ELSE {a} * {f.pow2('200')} / {f.pow2(f'{e} - 52 + 200')} END)"
    specials = " ".join(f"WHEN {cond.format(x=x)} THEN '{text}'" for cond, text in f.specials)
    return (
        f"(CASE WHEN {x} IS NULL THEN NULL {specials} WHEN {x} = 0 THEN '0' ELSE CONCAT("
        f"CASE WHEN {x} < 0 THEN '-' ELSE '' END, CAST({m} AS {f.to_int}), 'p', CAST({e} AS {f.to_int})) END)"
    )


SPARK = FloatFunctions(
    pow2=lambda e: f"pow(2, {e})",
    log2=lambda a: f"log2({a})",
    to_int="BIGINT",
    specials=(
        ("isnan({x})", "NaN"),
        ("{x} = CAST('Infinity' AS DOUBLE)", "Inf"),
        ("{x} = CAST('-Infinity' AS DOUBLE)", "-Inf"),
    ),
)
