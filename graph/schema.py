"""The graph schema, declared once.

Every node label, relationship type (with each allowed endpoint pair) and typed property lives
here. Both stores derive their DDL from :data:`SCHEMA` (see ``graph/cypher_gen.py``), the Cypher
linter is given the same facts, and loaders validate rows against it. Nothing else in the code
base may invent a label, a relationship type or a property name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PropType(StrEnum):
    """Property types, named as LadybugDB spells them (Neo4j is schemaless for values)."""

    STRING = "STRING"
    INT = "INT64"
    FLOAT = "DOUBLE"
    BOOL = "BOOLEAN"
    DATE = "DATE"
    STRINGS = "STRING[]"


@dataclass(frozen=True)
class Prop:
    name: str
    type: PropType = PropType.STRING
    doc: str = ""
    indexed: bool = False  # Neo4j gets a range index; LadybugDB has no secondary indexes.


@dataclass(frozen=True)
class NodeType:
    label: str
    doc: str
    props: tuple[Prop, ...]
    key: str = "id"

    def prop(self, name: str) -> Prop:
        for p in self.props:
            if p.name == name:
                return p
        raise KeyError(f"{self.label} has no property {name!r}")

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


@dataclass(frozen=True)
class RelType:
    type: str
    doc: str
    endpoints: tuple[tuple[str, str], ...]
    props: tuple[Prop, ...] = ()
    # Properties that tell two parallel edges between the same pair apart (e.g. MAPS_TO paragraph).
    # They are part of the MERGE pattern and must never be null ("" means "none").
    key: tuple[str, ...] = ()

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


@dataclass(frozen=True)
class Schema:
    nodes: tuple[NodeType, ...]
    rels: tuple[RelType, ...]
    _by_label: dict[str, NodeType] = field(init=False, repr=False, compare=False)
    _by_type: dict[str, RelType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_label", {n.label: n for n in self.nodes})
        object.__setattr__(self, "_by_type", {r.type: r for r in self.rels})
        problems = _consistency_problems(self)
        if problems:
            raise ValueError("inconsistent schema: " + "; ".join(problems))

    def node(self, label: str) -> NodeType:
        try:
            return self._by_label[label]
        except KeyError:
            raise KeyError(f"unknown node label {label!r}") from None

    def rel(self, rel_type: str) -> RelType:
        try:
            return self._by_type[rel_type]
        except KeyError:
            raise KeyError(f"unknown relationship type {rel_type!r}") from None

    def property_keys(self) -> list[str]:
        keys = {p.name for n in self.nodes for p in n.props}
        keys |= {p.name for r in self.rels for p in r.props}
        return sorted(keys)


def _consistency_problems(schema: Schema) -> list[str]:
    problems: list[str] = []
    labels = {n.label for n in schema.nodes}
    if len(labels) != len(schema.nodes):
        problems.append("duplicate node label")
    for n in schema.nodes:
        names = n.prop_names
        if len(set(names)) != len(names):
            problems.append(f"{n.label}: duplicate property")
        if n.key not in names:
            problems.append(f"{n.label}: key {n.key!r} is not a property")
    for r in schema.rels:
        for src, dst in r.endpoints:
            if src not in labels or dst not in labels:
                problems.append(f"{r.type}: endpoint ({src})->({dst}) names an unknown label")
        for k in r.key:
            if k not in r.prop_names:
                problems.append(f"{r.type}: key {k!r} is not a property")
    return problems


S, INT, BOOL, DATE, LIST = (
    PropType.STRING,
    PropType.INT,
    PropType.BOOL,
    PropType.DATE,
    PropType.STRINGS,
)

_ID = Prop("id", S, "Stable identifier; the node's key.")
_NAME = Prop("name", S, "Human-readable name.", indexed=True)

SCHEMA = Schema(
    nodes=(
        NodeType(
            "Chapter",
            "A structural part of the AI Act: a chapter, a section of a chapter.",
            (
                _ID,
                Prop("number", S, "Roman chapter number, or 'III.2' for a section."),
                Prop("title", S),
                Prop("kind", S, "chapter | section"),
            ),
        ),
        NodeType(
            "Article",
            "An AI Act article or annex (kind tells which).",
            (
                _ID,
                Prop("number", S, "'14', or 'Annex III'."),
                Prop("ordinal", INT, "Sort order: article number, annexes after 1000."),
                Prop("kind", S, "article | annex"),
                Prop("title", S),
                Prop("chapter", S, "Roman chapter number; null for annexes."),
                Prop("section", INT),
                Prop("binds", LIST, "Roles the article addresses."),
                Prop("tiers", LIST, "Risk tiers the article concerns."),
                Prop("applies_from", DATE, "As amended."),
                Prop("applies_from_original", DATE, "As enacted (Art. 113)."),
                Prop("applies_from_annex_i", DATE, "As amended, for Annex I product systems."),
                Prop("applies_from_annex_i_original", DATE),
                Prop("date_basis", S),
                Prop("no_counterpart_reason", S, "Why ISO/IEC 42001 has no counterpart at all."),
                Prop(
                    "no_counterpart_paragraphs", LIST, "'<paragraph>: <reason>' per uncovered part."
                ),
                Prop("not_standing", S, "Why the article creates no standing obligation."),
                Prop("condition", S, "The condition it applies under (applicability.yaml)."),
            ),
        ),
        NodeType(
            "Clause",
            "An ISO/IEC 42001 clause, Annex A objective or Annex A control (ids and short titles).",
            (
                _ID,
                Prop("number", S, "'6.1.2', 'A.6.2.6'."),
                Prop("sort_key", S, "Zero-padded number for ordering."),
                Prop("title", S),
                Prop("kind", S, "clause | objective | annex_a_control"),
            ),
        ),
        NodeType(
            "Control",
            "One of the organisation's own controls.",
            (
                _ID,
                _NAME,
                Prop("description", S),
                Prop("status", S, "planned | implemented | not_applicable"),
                Prop("review_every_days", INT, "How often its evidence must be renewed."),
                Prop("org_wide", BOOL, "Applies to every AI system (no applies_to listed)."),
            ),
        ),
        NodeType(
            "Asset",
            "An AI system or model in the organisation's inventory.",
            (
                _ID,
                _NAME,
                Prop("description", S),
                Prop("role", S, "provider | deployer | importer | distributor | ..."),
                Prop(
                    "risk_tier", S, "prohibited | high | limited | minimal | gpai | gpai_systemic"
                ),
                Prop("annex_iii_area", S, "Annex III point, e.g. '4(a)'."),
                Prop("annex_i", BOOL, "Safety component of an Annex I product."),
                Prop("prohibited_practice", S, "Art. 5(1) point, if any."),
                Prop("transparency_use", S, "Art. 50 paragraph, if any."),
                Prop("lifecycle", S, "planned | development | production | retired", indexed=True),
                Prop("in_eu", BOOL),
                Prop("public_body", BOOL, "Deployer is a body governed by public law (Art. 27)."),
                Prop("eu_market", BOOL, "Placed on the EU market or put into service there."),
                Prop("eu_deployer", BOOL, "Its deployer is established or located in the EU."),
                Prop("eu_output", BOOL, "Its output is used in the EU."),
                Prop("rebranded_or_modified", BOOL, "Rebranded or modified (Art. 25(1))."),
                Prop(
                    "own_use", BOOL, "The provider uses it itself: also its deployer (Art. 3(4))."
                ),
                Prop("discovered", BOOL, "Found by discovery (shadow AI), not declared."),
            ),
        ),
        NodeType(
            "Dataset",
            "A dataset an AI system is trained, validated, tested or run on.",
            (
                _ID,
                _NAME,
                Prop("personal_data", BOOL),
                Prop("provenance", S),
                Prop("legal_basis", S, "Legal basis for processing (GDPR Art. 6), if personal."),
                Prop("jurisdictions", LIST),
            ),
        ),
        NodeType(
            "Owner",
            "A named, accountable person.",
            (_ID, _NAME, Prop("email", S), Prop("team", S)),
        ),
        NodeType(
            "Evidence",
            "A log, document, test report, registration, notification ...",
            (
                _ID,
                Prop("title", S),
                Prop("kind", S, indexed=True),
                Prop("uri", S),
                Prop("sha256", S),
                Prop("collected_on", DATE),
                Prop("valid_until", DATE),
                Prop("retention_days", INT),
                Prop("version", S),
                Prop("local_path", S, "Resolved local file behind uri, if it is one."),
                Prop("file_sha256", S, "sha256 of that file when last checked."),
                Prop("file_status", S, "ok | changed | missing | remote; null without uri."),
                Prop("file_checked_on", DATE),
            ),
        ),
        NodeType(
            "Incident",
            "A (possibly serious) incident involving an AI system (Art. 73).",
            (
                _ID,
                Prop("description", S),
                Prop(
                    "severity",
                    S,
                    "death | critical_infrastructure | widespread_infringement | serious"
                    " | not_serious",
                ),
                Prop("occurred_on", DATE),
                Prop("aware_on", DATE),
                Prop("reported_on", DATE),
            ),
        ),
        NodeType(
            "Finding",
            "A gap tracked to closure (graph/findings, docs/remediation.md): one per stable gap "
            "id. Every write of it is a ChangeEvent, so its story is the change log.",
            (
                Prop("id", S, "The gap id, 'rule:subject' (graph/gaps.py)."),
                Prop("rule", S, "The gap rule.", indexed=True),
                Prop("severity", S, "critical | high | medium | low.", indexed=True),
                Prop("subject", S, "The gap's subject key."),
                Prop("asset", S, "The AI system it is about, if one."),
                Prop("article", S, "The AI Act article number, if one."),
                Prop("systems", LIST, "The AI systems the subject is or serves."),
                Prop("title", S, "The rule's title."),
                Prop("message", S, "The gap's message when it was last opened."),
                Prop(
                    "state",
                    S,
                    "open | in_progress | resolved | verified | reopened | "
                    "accepted | false_positive.",
                    indexed=True,
                ),
                Prop(
                    "version",
                    INT,
                    "1, 2, 3 ... one more on every write: a transition names "
                    "the version it saw; a stale one is refused.",
                ),
                Prop("assignee", S, "Who must act (routing, or reassign).", indexed=True),
                Prop("routed_by", S, "rule_owner | asset_owner | triage | reassigned."),
                Prop("due", DATE, "Earliest of the SLA date and the legal deadline."),
                Prop("due_source", S, "sla | legal: which one set due."),
                Prop("legal_deadline", DATE, "The legal deadline, if one exists."),
                Prop("opened_at", DATE, "The day it was (last) opened or reopened."),
                Prop("resolved_at", DATE, "The day the graph stopped reporting it."),
                Prop("resolved_by_seq", LIST, "Seqs of the change events that removed it."),
                Prop("resolved_by", LIST, "Actors of those events (they may not verify it)."),
                Prop("reopen_count", INT, "Times it fired again after resolved/verified."),
                Prop("verified_by", S, "Approver of the sign-off."),
                Prop("requested_by", S, "Who asked for the acceptance or false positive."),
                Prop("approver", S, "Approver of the acceptance or false positive."),
                Prop("justification", S, "Why it is accepted or a false positive."),
                Prop("compensating", S, "Compensating controls of an acceptance."),
                Prop("expires", DATE, "When an acceptance ends (the finding reactivates)."),
                Prop("transition", S, "The last transition (open, start, resolve, ...)."),
                Prop("actor", S, "Who made the last transition."),
                Prop("note", S, "The last transition's note."),
            ),
        ),
        NodeType(
            "ReconcileMark",
            "How far the findings were reconciled: the change-log seq the last reconcile had "
            "seen (graph/findings/reconcile.py); the events after it are the candidates for "
            "the change that resolved a finding.",
            (
                Prop("id", S, "Always 'findings'."),
                Prop("seq", INT, "The head of the log when the last reconcile read it."),
                Prop("as_of", DATE, "The day of that reconcile."),
            ),
        ),
        NodeType(
            "DigestDelivery",
            "One owner's remediation digest mailed on one day (`clausegraph digest --send`): "
            "a second send the same day finds it and sends nothing again (graph/findings/mail.py).",
            (
                Prop("id", S, "The key: '<day>:<owner id>'."),
                Prop("owner", S, "The owner it went to."),
                Prop("email", S, "The address it went to."),
                Prop("day", DATE, "The digest's day."),
                Prop("sha256", S, "sha256 of the message body as sent."),
                Prop("items", INT, "How many items the digest listed."),
            ),
        ),
        NodeType(
            "ChangeEvent",
            "One entry of the audit trail: a change to one entity (or a no-op load, a clear, a "
            "prune), hash-chained to the event before it (graph/audit). ``clear`` keeps it.",
            (
                Prop("id", S, "The key: seq zero-padded to 12 digits (keys are strings)."),
                Prop("seq", INT, "Sequence number, 1, 2, 3 ... without gaps.", indexed=True),
                Prop("at", S, "UTC time, ISO 8601 with 'Z'."),
                Prop("actor", S, "API key name, --actor, $CLAUSEGRAPH_ACTOR or the OS user."),
                Prop("command", S, "CLI command or API route that made the change."),
                Prop("batch_id", S, "One id for every event of one write."),
                Prop("input_file", S, "Input file, if any."),
                Prop("input_sha256", S, "sha256 of that file."),
                Prop("entity_kind", S, "Label or relationship type; '' for store-wide events."),
                Prop("entity_key", S, "The entity's key ('src->dst' for links)."),
                Prop("change", S, "One of graph.audit.events.CHANGES."),
                Prop("fields", S, "Canonical JSON {field: [before, after]}."),
                Prop("prev_hash", S, "hash of the event before ('' for the first)."),
                Prop("hash", S, "sha256 of the canonical content and prev_hash."),
            ),
        ),
    ),
    rels=(
        RelType(
            "MAPS_TO",
            "Crosswalk: an ISO clause/control relates to an AI Act article (paragraph).",
            (("Clause", "Article"),),
            (
                Prop("paragraph", S, "'' for the whole article."),
                Prop("relation", S, "equal | subset | superset | intersect | related"),
                Prop("rationale", S),
                Prop("confidence", S, "high | medium | low"),
                Prop("source", S),
            ),
            key=("paragraph",),
        ),
        RelType(
            "PART_OF",
            "Structure.",
            (("Clause", "Clause"), ("Article", "Chapter"), ("Chapter", "Chapter")),
        ),
        RelType("IMPLEMENTS", "A control realises an ISO requirement.", (("Control", "Clause"),)),
        RelType("ADDRESSES", "A control meets an article directly.", (("Control", "Article"),)),
        RelType("APPLIES_TO", "A control's scope.", (("Control", "Asset"),)),
        RelType("SUPPORTS", "Evidence that a control operates.", (("Evidence", "Control"),)),
        RelType("CONCERNS", "Evidence about one AI system.", (("Evidence", "Asset"),)),
        RelType(
            "SUPPORTS_ORG",
            "Derived by the loader: the SUPPORTS edges of evidence that concerns no AI system "
            "(organisation-level evidence), so coverage reaches it by the control's key instead "
            "of walking every SUPPORTS edge of an organisation-wide control.",
            (("Evidence", "Control"),),
        ),
        RelType("USES", "An AI system uses a dataset.", (("Asset", "Dataset"),)),
        RelType(
            "OWNED_BY",
            "Accountable owner.",
            (("Asset", "Owner"), ("Control", "Owner"), ("Dataset", "Owner"), ("Evidence", "Owner")),
        ),
        RelType(
            "SUBJECT_TO",
            "Derived by the applicability rules.",
            (("Asset", "Article"),),
            (
                Prop("reason", S),
                Prop("applies_from", DATE),
                Prop("applies_from_literal", DATE),
            ),
        ),
        RelType("INVOLVES", "An incident involves an AI system.", (("Incident", "Asset"),)),
        RelType("REPORTS", "A notification reports an incident.", (("Evidence", "Incident"),)),
    ),
)

# Load metadata, not the register: kept in the store beside it but outside SCHEMA.nodes, so that
# exports, imports, counts and the audit diff never see it (graph/stores writes it, clear and
# any write outside the logged path drop it).
FINGERPRINT = NodeType(
    "InputFingerprint",
    "What the last load of one input file wrote, and when: a re-load of the same bytes whose "
    "fingerprint no later change-log event touches skips the file "
    "(loaders/inventory/fingerprints.py).",
    (
        Prop("id", S, "The key: the input file's absolute path."),
        Prop("digest", S, "sha256 of the file's bytes and of what the loader derives them with."),
        Prop("seq", INT, "Change-log head after the load that took it."),
        Prop("kinds", LIST, "Entity kinds whose later events make it stale."),
        Prop("rows", INT, "Rows the file held."),
        Prop("derived", INT, "SUBJECT_TO edges derived from it (assets)."),
    ),
)
# Per-row fingerprints of the last file loaded for one entity (loaders/inventory/row_prints.py):
# a re-load of a changed file reads, validates and writes only the rows whose line is not among
# them. One row per part of up to 65,536 lines; about 21 bytes of text per input line.
ROW_DIGESTS = NodeType(
    "InputRowDigests",
    "What the last load of one entity's file wrote, line by line, and when: a later file's "
    "lines found here (no later change-log event touching the entity) are in the store as the "
    "file says and are not read again (loaders/inventory/row_prints.py).",
    (
        Prop("id", S, "The key: entity and part number, e.g. evidence#0003."),
        Prop("entity", S, "The inventory entity (assets, evidence, …)."),
        Prop("seq", INT, "Change-log head after the load that took it."),
        Prop("kinds", LIST, "Entity kinds whose later events make it stale."),
        Prop("context", S, "Digest of the header line, the schema, the catalogs, the hash."),
        Prop("part", INT, "This part's number, from 0."),
        Prop("parts", INT, "How many parts the record has."),
        Prop("lines", S, "base64 of the sorted 64-bit digests of the file's lines (this part)."),
        Prop("ids", S, "base64 of the 64-bit digests of each line's id, aligned with lines."),
        Prop("derived", S, "base64 of each line's SUBJECT_TO edge count (uint16; assets)."),
    ),
)
# The maintained read model (graph/readmodel): derived, never exported or logged, and checked
# against the from-scratch computation by `clausegraph check-consistency`.
COVERAGE_CELL = NodeType(
    "CoverageCell",
    "'What covers Article X for system Y' for one pair the system is SUBJECT_TO, as of the "
    "read model's day (graph/readmodel): written in the transaction of every write that "
    "changes its inputs.",
    (
        Prop("id", S, "The key: '<asset id>|<article id>'."),
        Prop("asset", S, "The AI system."),
        Prop("article", S, "The article id (AIA-14)."),
        Prop("verdict", S, "covered | partial | uncovered."),
        Prop("weakest_link", S, "What keeps the pair from better coverage."),
        Prop("freshness", S, "Best evidence state on a path claiming coverage, or none."),
        Prop("owners", LIST, "The owners named by the answer ('<id>' per entry)."),
        Prop("answer", S, "The whole answer as canonical JSON, without its as_of."),
        Prop("changes_on", DATE, "First day after the model's day the answer can change."),
    ),
)
READMODEL_MARK = NodeType(
    "ReadModelMark",
    "The read model's day and settings (graph/readmodel): cells answer for this day and date "
    "reading only; without a mark there is no read model and readers compute from scratch.",
    (
        Prop("id", S, "Always 'coverage'."),
        Prop("as_of", DATE, "The day the cells answer for."),
        Prop("date_reading", S, "practical | literal: the SUBJECT_TO date the cells use."),
        Prop("cells", INT, "How many cells the last rebuild wrote."),
    ),
)
# The maintained gap rows (graph/gaprows): each gap query's rows grouped by the node they are
# about, brought up to the change log's head by re-running the query for the nodes it touched.
GAP_ROWS = NodeType(
    "GapRows",
    "One bucket of one gap query's maintained rows (graph/gaprows), as of GapModelMark's seq.",
    (
        Prop("id", S, "The key: '<rule>/<query>#<bucket>'."),
        Prop("part", S, "The rule and query: 'asset_without_owner/gaps.asset_without_owner'."),
        Prop("rows", S, "JSON {anchor id: [row, ...]} for the anchors hashed to this bucket."),
    ),
)
GAP_MARK = NodeType(
    "GapModelMark",
    "Up to which change-log event the gap rows are current, and for which query texts and "
    "parameters (graph/gaprows); without it readers run every gap query in full.",
    (
        Prop("id", S, "Always 'gaps'."),
        Prop("seq", INT, "The change-log head the rows answer for."),
        Prop("as_of", DATE, "The report day the rows were last saved for."),
        Prop("log_max_age_days", INT, "The log freshness (days) they were saved for."),
        Prop("parts", S, "JSON {query: digest of its text and parameters}."),
    ),
)
INTERNAL_NODES: tuple[NodeType, ...] = (
    FINGERPRINT, ROW_DIGESTS, COVERAGE_CELL, READMODEL_MARK, GAP_ROWS, GAP_MARK,
)  # fmt: skip
# Every node type by label, the internal ones included (writers of internal nodes look them up).
SCHEMA_AND_INTERNAL = {n.label: n for n in SCHEMA.nodes + INTERNAL_NODES}
