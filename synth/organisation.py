"""Synthetic organisations at scale: ``clausegraph synth --assets N --seed S -o DIR``.

Writes an inventory in the documented format (docs/formats.md) with realistic shapes: per AI
system three datasets and about twenty evidence items spread over the two years before
:data:`AS_OF`; one owner per twenty systems; about forty organisation-wide controls implementing
the ISO/IEC 42001 Annex A controls (numbers from the shipped catalog) and a few controls that
address AI Act articles directly; 10 % high-risk systems with Annex III areas, some GPAI, limited,
minimal, prohibited and unclassified ones. Gaps are planted for every gap rule: the first assets
of every organisation carry one planted profile each (so even a 20-system organisation has them),
the rest are drawn at small rates (5 % of high-risk systems have no recent logs).

Everything is vectorised (numpy draws, Arrow compute for text) and the output is a function of
``(assets, seed)`` only: the same arguments write the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from loaders.catalog import shipped_catalogs
from synth.evidence import (
    LOCAL,
    Draws,
    evidence_table,
    ids,
    incident_tables,
    local_files,
)

AS_OF = dt.date(2026, 11, 25)
SynthFormat = Literal["csv", "parquet"]
ENTITY_ORDER = ("owners", "assets", "datasets", "controls", "evidence", "incidents")

TIERS = ("minimal", "limited", "high", "gpai", "gpai_systemic", "prohibited", None)
TIER_P = (0.657, 0.20, 0.10, 0.025, 0.005, 0.003, 0.01)
ROLES = ("provider", "deployer", "importer", "distributor", "authorised_representative",
         "product_manufacturer")  # fmt: skip
ROLE_P = (0.45, 0.45, 0.03, 0.03, 0.02, 0.02)
LIFECYCLES = ("production", "development", "planned", "retired")
LIFE_P = (0.72, 0.14, 0.05, 0.09)
AREAS = ("1(a)", "1(b)", "2", "3(a)", "3(b)", "4(a)", "4(b)", "5(a)", "5(b)", "5(c)", "6(a)",
         "7(a)", "8(a)")  # fmt: skip
PURPOSES = ("CV screening", "Credit scoring", "Support chatbot", "Demand forecast",
            "Fraud detection", "Document triage", "Code assistant", "Image tagging",
            "Route planning", "Churn model")  # fmt: skip
FIRST = ("Ada", "Ben", "Clara", "David", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas")
LAST = ("Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Horvat", "Ivanova")
TEAMS = ("AI Governance Office", "HR Tech", "Finance Risk", "Customer Digital", "Data Platform")
# Planted profiles for assets 1..9 (all in the EU): (tier, role, lifecycle, area, public_body,
# discovered, owned)
PLANTED = (
    ("prohibited", "deployer", "production", None, False, False, True),  # prohibited in use
    (None, "deployer", "production", None, False, False, True),  # no risk tier
    ("minimal", "deployer", "production", None, False, True, False),  # shadow AI, unowned
    ("high", "provider", "production", "4(a)", False, False, True),  # no logs at all
    ("high", "provider", "production", "1(a)", False, False, True),  # stale logs
    ("high", "deployer", "production", "5(b)", True, False, True),  # no FRIA
    ("high", "provider", "production", "3(a)", False, False, True),  # no registration/oversight
    # (asset 7 is also used in house, own_use, so the deployer's oversight records are owed)
    ("gpai", "provider", "production", None, False, False, True),  # no technical documentation
    ("high", "provider", "production", "8(a)", False, False, True),  # outside C-REG's scope
    ("high", "provider", "production", None, False, False, True),  # high, on no recorded basis
    ("prohibited", "provider", "development", None, False, False, True),  # prohibited, not yet used
)
OWN_USE = 7  # the planted asset a provider also uses itself


def pick(values: tuple[str | None, ...], idx: np.ndarray) -> pa.Array:
    return pc.take(pa.array(values, pa.string()), pa.array(idx, pa.int64()))


def draw_assets(rng: np.random.Generator, n: int) -> Draws:
    """The per-asset facts as numpy arrays (category indices, flags, owner index)."""
    d = Draws(n=n, width=max(6, len(str(n))))
    d.tier = rng.choice(len(TIERS), n, p=TIER_P)
    d.role = rng.choice(len(ROLES), n, p=ROLE_P)
    d.life = rng.choice(len(LIFECYCLES), n, p=LIFE_P)
    d.area = np.where(d.tier == 2, rng.integers(0, len(AREAS), n), -1)
    d.annex_i = (d.tier == 2) & (rng.random(n) < 0.05)
    d.area[d.annex_i] = -1
    d.public = (np.asarray(ROLES)[d.role] == "deployer") & (rng.random(n) < 0.1)
    d.discovered = rng.random(n) < 0.02
    n_owners = max(len(TEAMS), -(-n // 20))
    d.owner = np.minimum(np.arange(n) // 20, n_owners - 1)
    d.owner[rng.random(n) < 0.005] = -1
    d.n_owners = n_owners
    for i, (tier, role, life, area, public, disc, owned) in enumerate(PLANTED[: max(0, n - 1)]):
        j = i + 1
        d.tier[j], d.role[j], d.life[j] = TIERS.index(tier), ROLES.index(role), 0
        d.life[j] = LIFECYCLES.index(life)
        d.area[j] = AREAS.index(area) if area else -1
        d.annex_i[j], d.public[j], d.discovered[j] = False, public, disc
        d.owner[j] = d.owner[j] if owned else -1
    high_prod = np.flatnonzero((d.tier == 2) & (d.life == 0))
    d.no_logs = np.zeros(n, bool)
    d.stale_logs = np.zeros(n, bool)
    chosen = rng.choice(high_prod, int(len(high_prod) * 0.05), replace=False)
    d.no_logs[chosen[::2]], d.stale_logs[chosen[1::2]] = True, True
    d.no_logs[4 if n > 4 else 0], d.stale_logs[5 if n > 5 else 0] = n > 4, n > 5
    return d


def assets_table(d: Draws, rng: np.random.Generator) -> pa.Table:
    tier = pick(TIERS, d.tier)
    areas = np.where(d.area >= 0, d.area, len(AREAS))
    practice = np.where(d.tier == 5, rng.integers(0, 8, d.n), 8)
    use = np.where(d.tier == 1, rng.integers(0, 4, d.n), 4)
    purpose = pick(PURPOSES, rng.integers(0, len(PURPOSES), d.n))
    return pa.table({
        "id": d.asset_ids(),
        "name": pc.binary_join_element_wise(purpose, " ", d.asset_ids(), ""),
        "description": pc.binary_join_element_wise(
            "Synthetic ", pc.fill_null(tier, "unclassified"), " system, ", purpose, ""),
        "role": pick(ROLES, d.role),
        "risk_tier": tier,
        "annex_iii_area": pick((*AREAS, None), areas),
        "annex_i": pa.array(d.annex_i),
        "prohibited_practice": pick((*"abcdefgh", None), practice),
        "transparency_use": pick(("1", "2", "3", "4", None), use),
        "lifecycle": pick(LIFECYCLES, d.life),
        "in_eu": pa.array((rng.random(d.n) < 0.95) | (np.arange(d.n) <= len(PLANTED))),
        "public_body": pa.array(d.public),
        "rebranded_or_modified": pa.array(np.zeros(d.n, dtype=bool)),
        "own_use": pa.array(np.arange(d.n) == OWN_USE),
        "discovered": pa.array(d.discovered),
        "owner": d.owner_ids(d.owner),
        "datasets": _dataset_lists(d),
    })  # fmt: skip


def _dataset_lists(d: Draws) -> pa.Array:
    """Three datasets per asset: D-<asset number>-1 .. -3."""
    nums = pc.take(d.asset_ids(), pa.array(np.repeat(np.arange(d.n), 3)))
    suffix = pa.array(np.tile(np.array(["-1", "-2", "-3"], dtype=object), d.n), pa.string())
    flat = pc.binary_join_element_wise("D", pc.utf8_slice_codeunits(nums, 1), suffix, "")
    return pa.ListArray.from_arrays(pa.array(np.arange(0, 3 * d.n + 1, 3, dtype=np.int32)), flat)


def datasets_table(d: Draws, rng: np.random.Generator) -> pa.Table:
    n = 3 * d.n
    ids_ = pc.list_flatten(_dataset_lists(d))
    personal = rng.random(n) < 0.5
    owner = np.repeat(d.owner, 3)
    owner[rng.random(n) < 0.002] = -1
    owner[min(n - 1, 2)] = -1
    asset_high = np.repeat(d.tier == 2, 3)
    no_prov = asset_high & (rng.random(n) < 0.01)
    no_prov[min(n - 1, 3 * 4)] = True
    no_basis = asset_high & personal & (rng.random(n) < 0.01)
    src = pc.cast(pa.array(rng.integers(1, 40, n)), pa.string())
    provenance = pc.binary_join_element_wise(
        "Source system S", src, ", contract DSA-2025-", src, ""
    )
    return pa.table({
        "id": ids_,
        "name": pc.binary_join_element_wise("Dataset ", ids_, ""),
        "personal_data": pa.array(personal),
        "provenance": pc.if_else(pa.array(no_prov), pa.scalar(None, pa.string()), provenance),
        "legal_basis": pick(("GDPR Art. 6(1)(b) contract", None),
                            np.where(personal & ~no_basis, 0, 1)),
        "jurisdictions": pc.split_pattern(pick(("EU", "EU;US", "EU;CH"),
                                               rng.choice(3, n, p=(0.8, 0.15, 0.05))), ";"),
        "owner": d.owner_ids(owner),
    })  # fmt: skip


def owners_table(d: Draws) -> pa.Table:
    i = np.arange(d.n_owners)
    oid = ids("owner-", d.n_owners, 5)
    return pa.table({
        "id": oid,
        "name": pc.binary_join_element_wise(pick(FIRST, i % len(FIRST)), " ",
                                            pick(LAST, (i // len(FIRST)) % len(LAST)), ""),
        "email": pc.binary_join_element_wise(oid, "@example.org", ""),
        "team": pick(TEAMS, i % len(TEAMS)),
    })  # fmt: skip


def controls_table(d: Draws) -> pa.Table:
    """One org-wide control per Annex A control plus two clause controls; scoped direct ones."""
    cat = shipped_catalogs().iso.clauses
    rows = [(c.number, c.title) for c in cat if c.kind == "annex_a_control"]
    rows += [("9.2;9.2.1;9.2.2", "Internal audit"), ("9.3;9.3.1", "Management review")]
    review = {"A.6.2.8": 90, "A.6.2.4": 180, "A.9.2": 180}
    tier = np.asarray(TIERS, dtype=object)[d.tier]
    aid = d.asset_ids().to_numpy(zero_copy_only=False)
    high = aid[(tier == "high") & (np.arange(d.n) != 9)]
    scoped = [("C-REG", "EU database registration", "49", high),
              ("C-TRN", "Transparency notices", "50", aid[tier == "limited"]),
              ("C-GPAI", "GPAI documentation and copyright policy", "53;55",
               aid[(tier == "gpai") | (tier == "gpai_systemic")])]  # fmt: skip
    direct = [
        ("C-FRIA", "Fundamental rights impact assessment", "27"),
        ("C-INC", "Serious incident reporting", "73"),
        ("C-LOG", "Log retention", "19;26"),
        ("C-LIT", "AI literacy programme", "4"),
        ("C-CLS", "Classification and prohibited-practice screening", "5;6"),
        ("C-HRP", "High-risk provider obligations", "8;16;18;20"),
        ("C-CE", "Conformity assessment and CE marking", "43;47;48"),
        ("C-HO", "Human oversight measures", "14"),
        ("C-EXP", "Explanation of decisions", "86"),
        ("C-SYS", "GPAI systemic-risk classification", "51;52"),
    ]
    n_org, n_all = len(rows), len(rows) + len(scoped) + len(direct)
    cid = [f"C-{i + 1:03d}" for i in range(n_org)] + [s[0] for s in scoped + direct]
    owner = np.arange(n_all) % len(TEAMS)
    owner[1] = -1  # control without owner
    return pa.table({
        "id": cid,
        "name": [r[1] for r in rows] + [s[1] for s in scoped + direct],
        "status": ["implemented"] * n_all,
        "review_every_days": [review.get(r[0], 365) for r in rows] + [None] * (n_all - n_org),
        "owner": d.owner_ids(owner),
        "implements": [r[0].split(";") for r in rows] + [None] * (n_all - n_org),
        "addresses": [None] * n_org + [s[2].split(";") for s in scoped + direct],
        "applies_to": [None] * n_org + [list(s[3]) or None for s in scoped] + [None] * len(direct),
    }).cast(CONTROL_SCHEMA)  # fmt: skip


STR, LIST = pa.string(), pa.list_(pa.string())
CONTROL_SCHEMA = pa.schema([("id", STR), ("name", STR), ("status", STR),
                            ("review_every_days", pa.int64()), ("owner", STR),
                            ("implements", LIST), ("addresses", LIST),
                            ("applies_to", LIST)])  # fmt: skip


def synth_tables(assets: int, seed: int) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    d = draw_assets(rng, assets)
    out = {"owners": owners_table(d), "assets": assets_table(d, rng),
           "datasets": datasets_table(d, rng), "controls": controls_table(d)}  # fmt: skip
    incidents, notifications = incident_tables(d, rng)
    out["evidence"] = pa.concat_tables(
        [evidence_table(d, rng, out["controls"]), notifications, local_files()]
    )
    out["incidents"] = incidents
    return out


def csv_cells(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One column as CSV cells: lists `;`-joined, RFC 4180 quoting only where needed."""
    if pa.types.is_list(col.type):
        col = pc.binary_join(col, ";")
    elif not pa.types.is_string(col.type):
        col = pc.cast(col, pa.string())
    s = pc.fill_null(col, "")
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(s, '"', '""'), '"', "")
    return pc.if_else(pc.match_substring_regex(s, '[,"\r\n]'), quoted, s)


def write_csv(table: pa.Table, path: Path, chunk: int = 200_000) -> None:
    with path.open("wb") as f:
        f.write((",".join(table.column_names) + "\n").encode())
        for start in range(0, table.num_rows, chunk):
            part = table.slice(start, chunk)
            cells = [csv_cells(part.column(c)) for c in part.column_names]
            lines = pc.binary_join_element_wise(*cells, ",")
            f.write(("\n".join(lines.to_pylist()) + "\n").encode())


def synth(assets: int, seed: int, out: Path, fmt: SynthFormat = "csv") -> dict[str, int]:
    """Write the organisation to ``out`` (created); return the row count per entity."""
    if assets < 1:
        raise ValueError("--assets must be at least 1")
    tables = synth_tables(assets, seed)
    out.mkdir(parents=True, exist_ok=True)
    for entity in ENTITY_ORDER:
        table = tables[entity]
        if fmt == "csv":
            write_csv(table, out / f"{entity}.csv")
        else:
            pq.write_table(table, out / f"{entity}.parquet", compression="zstd")
    (out / "evidence").mkdir(exist_ok=True)
    for (_, uri, text), body in zip(LOCAL[:2], (None, "edited\n"), strict=True):
        (out / uri).write_text(body or text, encoding="utf-8")
    return {e: tables[e].num_rows for e in ENTITY_ORDER}
