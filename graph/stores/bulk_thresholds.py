"""When a LadybugDB write takes the diff path and when its delta is staged (ladybug_bulk.py).

Apart from the planner so that opening a store does not import pyarrow.
"""

BULK_MIN_ROWS = 5_000
# ... unless its node and edge rows are at most this share of the rows the store holds for the
# labels it writes: such a batch still takes the keyed path (graph/stores/ladybug_keyed.py),
# whose cost grows with the batch (about 0.1 ms a row), where the diff path's grows with the
# store (it reads the touched tables whole: about 4 us a stored row). 10,000 evidence items
# into 100,000 systems (1.9M evidence items): keyed.
KEYED_SHARE = 0.05
# A delta up to this many rows is written with MERGE statements on the live store; a larger one
# is COPY-ed into a staged copy that is swapped in (copying the database file costs about as
# much as MERGE-ing this many rows; both are crash-atomic).
LIVE_MAX_ROWS = 20_000
# ... or up to this share of the rows the store already holds: the staged copy costs about as
# much as the store is large (copying and checkpointing the file), the MERGE-d delta as it is.
LIVE_SHARE = 0.02
