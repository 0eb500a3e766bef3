"""When a LadybugDB write takes the diff path and when its delta is staged (ladybug_bulk.py).

Apart from the planner so that opening a store does not import pyarrow.
"""

BULK_MIN_ROWS = 5_000
# A delta up to this many rows is written with MERGE statements on the live store; a larger one
# is COPY-ed into a staged copy that is swapped in (copying the database file costs about as
# much as MERGE-ing this many rows; both are crash-atomic).
LIVE_MAX_ROWS = 20_000
# ... or up to this share of the rows the store already holds: the staged copy costs about as
# much as the store is large (copying and checkpointing the file), the MERGE-d delta as it is.
LIVE_SHARE = 0.02
