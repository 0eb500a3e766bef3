"""When a LadybugDB write takes the diff path and when its delta is staged (ladybug_bulk.py).

Apart from the planner so that opening a store does not import pyarrow.
"""

# A batch of fewer rows takes the keyed path (graph/stores/ladybug_keyed.py), a larger one the
# diff path (ladybug_bulk.py) ...
BULK_MIN_ROWS = 5_000
# ... unless its node and edge rows are at most this share of the stored nodes of the labels it
# writes: such a batch still takes the keyed path (graph/stores/ladybug_keyed.py), whose cost
# grows with the batch (about 0.17 ms per node or edge row, audit events included), where the
# diff path's grows with the store (it reads the touched tables whole, edges included: about
# 11 us per stored row, some four stored rows per node of the touched labels). Measured with
# 10,000 evidence items (40,000 rows): 6.7 s keyed against 32 s diffed at 100,000 systems.
KEYED_SHARE = 0.25
# A delta up to this many rows is written with MERGE statements on the live store; a larger one
# is COPY-ed into a staged copy that is swapped in (copying the database file costs about as
# much as MERGE-ing this many rows; both are crash-atomic).
LIVE_MAX_ROWS = 20_000
# ... or up to this share of the rows the store already holds: the staged copy costs about as
# much as the store is large (copying and checkpointing the file), the MERGE-d delta as it is.
LIVE_SHARE = 0.02
