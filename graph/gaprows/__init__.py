"""The maintained gap rows: every gap query's rows, stored grouped by the node each row is about
(its ``// anchor:``, queries/registry.py) and kept current from the change log, so a gap report
reads them instead of running 24 queries over the whole graph. ``GapModelMark`` says up to which
event the rows are current and for which query texts and parameters. A reader takes the stored
rows, reads the events since the mark, works out which anchors they touched (``dirty.py``: an
evidence item → the systems it concerns and the controls it supports, a control → its scope and
its evidence's systems, …) and re-runs each query's scoped twin for those anchors only
(``model.py``). What the events cannot bound (deletes, catalog changes, ``clear``, a very long
log since the mark) and a query whose text or parameters changed (a new day) run in full. The
full queries stay the reference: ``clausegraph check-consistency`` compares the two.
"""
