"""The maintained read model: one ``CoverageCell`` per AI system and article it is SUBJECT_TO,
holding the whole "what covers Article X for system Y" answer for the model's day and date
reading (``ReadModelMark``). It is not a cache: every store write that changes a cell's inputs
recomputes the cells of the affected systems in the write's own transaction (``maintain.py``:
evidence → the systems it concerns or, organisation-level, its controls' systems; a control →
its scope; an owner → what they own; a catalog change → everything), a date move recomputes
the cells whose ``changes_on`` has come (``refresh``), and the from-scratch computation
(graph/coverage.py ``compute``; ``cells.py`` set-based) stays the reference that
``clausegraph check-consistency`` compares it with. Readers use a cell only when the mark's
day and reading are the ones asked for; otherwise, or without a mark, they compute.
"""
