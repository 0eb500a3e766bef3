"""The audit trail: the register's change log, hash-chained.

This package owns the :class:`~graph.audit.events.ChangeEvent` model (one event per changed
entity, or one whole-store event for a no-op load, a ``clear`` or a prune), the one canonical JSON
serialisation that every hash is computed over (:func:`~graph.audit.events.canonical_json`), the
hash chain (each event's ``hash`` is the sha256 of its canonical content and the previous event's
hash) and its verification. Stores write events as ``ChangeEvent`` nodes (declared in
graph/schema.py) in the same transaction as the change; nothing here talks to a store directly,
so both LadybugDB and Neo4j share this logic.
"""

AUDIT_LABEL = "ChangeEvent"
