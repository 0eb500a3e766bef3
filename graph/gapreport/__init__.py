"""The gap report kept by subject and patched, not rebuilt, after each write.

A long-lived process (the API server, its dashboard and reconcile worker) keeps, per store, the
report shaped from the maintained gap rows (graph/gaprows) together with where each gap's rows
came from. After a write, the gap rows are brought to the log's head in memory
(:func:`graph.gaprows.model.advance`), only the subjects whose rows changed are shaped again, and
only the gaps whose visibility can follow from them (a suppression by another rule, an expired
item a presence rule already names) are looked at again (``shaped.py``). The patch also says which
gap ids appeared and disappeared, so the findings reconcile looks at those only
(``keeper.py``). Nothing here is a cache that can go stale: a kept report is tied to the change
log's seq it was brought to, and whatever the events cannot bound is rebuilt from the rows.
"""
