"""The evidence and incidents of a synthetic organisation (see :mod:`synth.organisation`).

Per AI system a fixed template of evidence kinds (logs, test reports, assessments, documents,
technical documentation, and for high-risk systems oversight records, a registration and a
FRIA), each a series going back from a recent newest item in steps, so the newest item is within
the supporting control's review period unless a gap is planted on purpose.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

DAY0 = np.datetime64("2026-11-25", "D")  # the "as of" day the dates are drawn back from
OLDEST = DAY0 - 729
EMPTY = np.zeros(0, dtype=np.int64)
HIGH, GPAI_TIERS, PROD, DEV, RETIRED, DEPLOYER = 2, (3, 4), 0, 1, 3, 1
# kind -> (supporting control: Annex A number or control id, step in days, max offset in days)
KINDS: dict[str, tuple[str, int, int]] = {
    "log": ("A.6.2.8", 60, 20),
    "test_report": ("A.6.2.4", 240, 90),
    "assessment": ("A.5.2", 365, 180),
    "document": ("A.8.2", 240, 180),
    "technical_documentation": ("A.6.2.7", 365, 180),
    "oversight_record": ("A.9.2", 180, 90),
    "registration": ("C-REG", 365, 700),
    "fria": ("C-FRIA", 365, 300),
}
HASHED = ("assessment", "technical_documentation", "registration", "fria")
SEVERITIES = ("serious", "death", "widespread_infringement", "critical_infrastructure",
              "not_serious")  # fmt: skip
DEADLINE = np.array([15, 10, 2, 2, 0])
LOCAL = (
    ("E-LOCAL-1", "evidence/ai-policy-v1.md", "AI policy v1\n"),  # hash matches the file
    ("E-LOCAL-2", "evidence/ai-policy-v2.md", "AI policy v2\n"),  # file was edited
    ("E-LOCAL-3", "evidence/ai-policy-v3.md", "AI policy v3\n"),
)  # file is missing
STR, LIST = pa.string(), pa.list_(pa.string())
EVIDENCE_SCHEMA = pa.schema([
    ("id", STR), ("title", STR), ("kind", STR), ("uri", STR), ("sha256", STR),
    ("collected_on", pa.date32()), ("valid_until", pa.date32()), ("retention_days", pa.int64()),
    ("version", STR), ("owner", STR), ("supports", LIST), ("concerns", LIST), ("reports", LIST),
])  # fmt: skip


def ids(prefix: str, n: int, width: int, start: int = 1) -> pa.Array:
    """``prefix`` + zero-padded numbers, e.g. A-000001."""
    nums = pc.cast(pa.array(np.arange(start, start + n, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(nums, width, "0"), "")


def one_list(values: pa.Array) -> pa.Array:
    """Each value as a one-item list; null stays null."""
    values = values.cast(pa.string())
    offsets = pa.array(np.arange(len(values) + 1, dtype=np.int32))
    lists = pa.ListArray.from_arrays(offsets, pc.fill_null(values, ""))
    return pc.if_else(pc.is_null(values), pa.scalar(None, LIST), lists)


@dataclass
class Draws:
    """Per-asset facts as arrays (category indices into the synth tables, flags, owner index)."""

    n: int
    width: int
    n_owners: int = 0
    tier: np.ndarray = field(default_factory=lambda: EMPTY)
    role: np.ndarray = field(default_factory=lambda: EMPTY)
    life: np.ndarray = field(default_factory=lambda: EMPTY)
    area: np.ndarray = field(default_factory=lambda: EMPTY)
    annex_i: np.ndarray = field(default_factory=lambda: EMPTY)
    public: np.ndarray = field(default_factory=lambda: EMPTY)
    discovered: np.ndarray = field(default_factory=lambda: EMPTY)
    owner: np.ndarray = field(default_factory=lambda: EMPTY)  # -1: no owner
    no_logs: np.ndarray = field(default_factory=lambda: EMPTY)
    stale_logs: np.ndarray = field(default_factory=lambda: EMPTY)

    def asset_ids(self) -> pa.Array:
        return ids("A-", self.n, self.width)

    def owner_ids(self, idx: np.ndarray) -> pa.Array:
        all_ids = ids("owner-", self.n_owners, 5)
        return pc.take(all_ids, pa.array(np.where(idx >= 0, idx, 0), mask=idx < 0))


def _counts(d: Draws) -> dict[str, np.ndarray]:
    high = d.tier == HIGH
    logs = np.select([d.life == PROD, d.life == DEV, d.life == RETIRED], [12, 3, 6], 0)
    planted = np.arange(d.n)
    return {
        "log": np.where(d.no_logs, 0, logs),
        "test_report": np.full(d.n, 3),
        "assessment": np.full(d.n, 2),
        "document": np.full(d.n, 3),
        "technical_documentation": np.where(planted == 8, 0, 1),
        "oversight_record": np.where(
            high & (d.role <= DEPLOYER) & (d.life == PROD) & (planted != 7), 2, 0
        ),
        "registration": np.where(high & (planted != 7), 1, 0),
        "fria": np.where(high & (d.role == DEPLOYER) & (planted != 6), 1, 0),
    }


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner index, position within its group) for ``counts[i]`` items per group ``i``."""
    group = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return group, np.arange(len(group)) - np.repeat(starts, counts)


def _asset_items(d: Draws, rng: np.random.Generator) -> dict[str, np.ndarray]:
    parts: dict[str, list[np.ndarray]] = {"asset": [], "k": [], "kind": [], "days": [], "n": []}
    for i, (kind, cnt) in enumerate(_counts(d).items()):
        _, step, max_off = KINDS[kind]
        asset, k = _expand(cnt)
        off = rng.integers(0, max_off, d.n)
        if kind == "log":
            off += np.where(d.stale_logs, rng.integers(45, 200, d.n), 0)
            off += np.where(d.life == RETIRED, 200, 0)
        parts["asset"].append(asset)
        parts["k"].append(k)
        parts["kind"].append(np.full(len(asset), i))
        parts["days"].append(np.minimum(off[asset] + k * step, 729))
        parts["n"].append(cnt[asset])
    cat = {name: np.concatenate(p) for name, p in parts.items()}
    order = np.argsort(cat["asset"], kind="stable")
    return {name: a[order] for name, a in cat.items()}


def _hashes(rng: np.random.Generator, mask: np.ndarray) -> pa.Array:
    raw = np.frombuffer(rng.bytes(32 * len(mask)), dtype=np.uint8).reshape(len(mask), 32)
    lut = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    hexed = np.empty((len(mask), 64), dtype=np.uint8)
    hexed[:, 0::2], hexed[:, 1::2] = lut[raw >> 4], lut[raw & 15]
    arr = pa.array(hexed.view("S64").ravel(), pa.binary()).cast(STR)
    return pc.if_else(pa.array(mask), arr, pa.scalar(None, STR))


def _planted(rng: np.random.Generator, candidates: np.ndarray, rate: float) -> np.ndarray:
    if len(candidates) == 0:
        return candidates
    n = max(1, int(len(candidates) * rate))
    return np.sort(rng.choice(candidates, n, replace=False))


def evidence_table(d: Draws, rng: np.random.Generator, controls: pa.Table) -> pa.Table:
    """Evidence about each AI system, then organisation-level documents for each control."""
    it = _asset_items(d, rng)
    kinds = list(KINDS)
    kind_name = np.asarray(kinds, dtype=object)[it["kind"]]
    collected = DAY0 - it["days"]
    n = len(collected)
    valid, retention, owner, no_version = _planted_columns(d, rng, it, kind_name, collected)
    version = pc.binary_join_element_wise(pc.cast(pa.array(it["n"] - it["k"]), STR), ".0", "")
    by_number = _control_by_number(controls)
    support = np.asarray([by_number[KINDS[k][0]] for k in kinds], dtype=object)[it["kind"]]
    asset_id = pc.take(d.asset_ids(), pa.array(it["asset"]))
    kind = pa.array(kind_name, STR)
    eid = ids("E-", n, max(7, len(str(n))))
    table = pa.table({
        "id": eid,
        "title": pc.binary_join_element_wise(kind, " ", asset_id, " #",
                                             pc.cast(pa.array(it["n"] - it["k"]), STR), ""),
        "kind": kind,
        "uri": pc.binary_join_element_wise("https://grc.example.org/evidence/", eid, ""),
        "sha256": _hashes(rng, np.isin(kind_name, HASHED)),
        "collected_on": pa.array(collected.astype("datetime64[D]"), pa.date32()),
        "valid_until": pa.array(valid.astype("datetime64[D]"), pa.date32()),
        "retention_days": pa.array(retention, pa.int64(), mask=retention < 0),
        "version": pc.if_else(pa.array(no_version), pa.scalar(None, STR), version),
        "owner": d.owner_ids(owner),
        "supports": one_list(pa.array(support, STR)),
        "concerns": one_list(asset_id),
        "reports": pa.nulls(n, LIST),
    }, schema=EVIDENCE_SCHEMA)  # fmt: skip
    return pa.concat_tables([table, _org_documents(d, rng, controls)])


def _planted_columns(
    d: Draws,
    rng: np.random.Generator,
    it: dict[str, np.ndarray],
    kind_name: np.ndarray,
    collected: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """valid_until, retention_days, owner index and "no version", with their planted gaps."""
    n = len(collected)
    valid = np.where(kind_name == "assessment", collected + 730, np.datetime64("NaT"))
    expired = _planted(rng, np.flatnonzero(it["days"] > 60), 0.0005)
    valid[expired] = collected[expired] + 30
    retention = np.select([kind_name == "log", kind_name == "document"], [365, 3650], -1)
    high_logs = np.flatnonzero((kind_name == "log") & (d.tier[it["asset"]] == HIGH)
                               & (d.life[it["asset"]] != RETIRED))  # fmt: skip
    retention[_planted(rng, high_logs, 0.01)] = 90
    owner = d.owner[it["asset"]].copy()
    owner[owner < 0] = 0
    owner[_planted(rng, np.arange(n), 0.0005)] = -1
    no_version = np.zeros(n, bool)
    no_version[_planted(rng, np.arange(n), 0.0005)] = True
    return valid, retention, owner, no_version


def _control_by_number(controls: pa.Table) -> dict[str, str]:
    out = {}
    for cid, numbers in zip(controls["id"].to_pylist(), controls["implements"].to_pylist(),
                            strict=True):  # fmt: skip
        out[cid] = cid
        for number in numbers or []:
            out.setdefault(number, cid)
    return out


def _org_documents(d: Draws, rng: np.random.Generator, controls: pa.Table) -> pa.Table:
    """Four documents per control, no system in particular; the management review has none."""
    cids = controls["id"].to_pylist()
    review = [r or 365 for r in controls["review_every_days"].to_pylist()]
    keep = [i for i, name in enumerate(controls["name"].to_pylist()) if name != "Management review"]
    ctrl, k = _expand(np.array([4 if i in keep else 0 for i in range(len(cids))]))
    rev = np.asarray(review)[ctrl]
    off = rng.integers(0, 1 << 20, len(ctrl)) % np.maximum(rev // 2, 1)
    collected = DAY0 - np.minimum(off + k * np.minimum(rev, 180), 729)
    cid = pa.array(np.asarray(cids, dtype=object)[ctrl], STR)
    eid = ids("E-ORG-", len(ctrl), 5)
    owner = np.full(len(ctrl), 0)
    return pa.table({
        "id": eid,
        "title": pc.binary_join_element_wise("Operating record ", cid, ""),
        "kind": pa.array(["document"] * len(ctrl), STR),
        "uri": pc.binary_join_element_wise("https://grc.example.org/evidence/", eid, ""),
        "sha256": pa.nulls(len(ctrl), STR),
        "collected_on": pa.array(collected.astype("datetime64[D]"), pa.date32()),
        "valid_until": pa.nulls(len(ctrl), pa.date32()),
        "retention_days": pa.array(np.full(len(ctrl), 3650), pa.int64()),
        "version": pc.cast(pa.array(4 - k), STR),
        "owner": d.owner_ids(owner),
        "supports": one_list(cid),
        "concerns": pa.nulls(len(ctrl), LIST),
        "reports": pa.nulls(len(ctrl), LIST),
    }, schema=EVIDENCE_SCHEMA)  # fmt: skip


HIGH_RISK_PROVIDER = (
    4  # asset index (0-based) of synth.organisation.PLANTED's first high-risk provider
)


def incident_tables(d: Draws, rng: np.random.Generator) -> tuple[pa.Table, pa.Table]:
    """Incidents on systems in production, and the notifications that report them."""
    prod = np.flatnonzero(d.life == PROD)
    n = max(5, d.n // 500) if len(prod) else 0
    asset = np.sort(rng.choice(prod, n)) if n else EMPTY
    sev = np.arange(n) % len(SEVERITIES)
    occurred = DAY0 - rng.integers(60, 700, n)
    aware = occurred + rng.integers(0, 6, n)
    fate = rng.choice(3, n, p=(0.8, 0.1, 0.1))  # on time, late, not notified
    if n:
        fate[0] = 2  # a serious incident never notified, on a system Art. 73 binds (literal
        # reading; in the practical one only from 2 Dec 2027, after it became known):
        asset[0] = HIGH_RISK_PROVIDER  # planted asset 4 (a high-risk provider in production)
        aware[0] += DAY0 - 60 - occurred[0]  # known after 2 Aug 2026 (Art. 73's literal date)
        occurred[0] = DAY0 - 60
    lag = np.where(fate == 0, rng.integers(0, 3, n), DEADLINE[sev] + rng.integers(1, 20, n))
    reported = np.where((fate == 2) | (sev == 4), np.datetime64("NaT"), aware + lag)
    inc_id = ids("INC-", n, 5)
    asset_id = pc.take(d.asset_ids(), pa.array(asset, pa.int64()))
    sev_arr = pa.array(np.asarray(SEVERITIES, dtype=object)[sev], STR)
    incidents = pa.table({
        "id": inc_id,
        "description": pc.binary_join_element_wise("Synthetic ", sev_arr, " incident", ""),
        "assets": one_list(asset_id),
        "severity": sev_arr,
        "occurred_on": pa.array(occurred.astype("datetime64[D]"), pa.date32()),
        "aware_on": pa.array(aware.astype("datetime64[D]"), pa.date32()),
        "reported_on": pa.array(reported.astype("datetime64[D]"), pa.date32()),
    })  # fmt: skip
    done = ~np.isnat(reported)
    return incidents, _notifications(d, incidents.filter(pa.array(done)), asset[done])


def _notifications(d: Draws, inc: pa.Table, asset: np.ndarray) -> pa.Table:
    m = inc.num_rows
    owner = np.maximum(d.owner[asset], 0)
    eid = ids("N-", m, 5)
    return pa.table({
        "id": eid,
        "title": pc.binary_join_element_wise("Notification of ", inc["id"], ""),
        "kind": pa.array(["notification"] * m, STR),
        "uri": pc.binary_join_element_wise("https://grc.example.org/evidence/", eid, ""),
        "sha256": pa.nulls(m, STR),
        "collected_on": inc["reported_on"],
        "valid_until": pa.nulls(m, pa.date32()),
        "retention_days": pa.array(np.full(m, 3650), pa.int64()),
        "version": pa.array(["1.0"] * m, STR),
        "owner": d.owner_ids(owner),
        "supports": one_list(pa.array(["C-INC"] * m, STR)),
        "concerns": inc["assets"],
        "reports": one_list(inc["id"].combine_chunks()),
    }, schema=EVIDENCE_SCHEMA)  # fmt: skip


def local_files() -> pa.Table:
    """Three evidence items under evidence/: one intact, one edited since hashed, one missing."""
    rows = [{"id": i, "title": f"AI policy ({uri})", "kind": "document", "uri": uri,
             "sha256": hashlib.sha256(text.encode()).hexdigest(),
             "collected_on": DAY0.astype(object) - np.timedelta64(30, "D").astype(object),
             "version": "1.0", "owner": "owner-00001", "supports": ["C-001"]}
            for i, uri, text in LOCAL]  # fmt: skip
    return pa.Table.from_pylist(rows, schema=EVIDENCE_SCHEMA)
