"""The inventory ingest path, one way and one module per step: :mod:`~loaders.inventory.read`
turns files (CSV/YAML/JSON/Parquet) or a request body into raw rows or Arrow columns;
:mod:`~loaders.inventory.validate` checks them against the pydantic models of
:mod:`graph.models` (the contract) and across rows, with :mod:`~loaders.inventory.validate_columnar`
deriving vectorised checks for large files from the same models; :mod:`~loaders.inventory.batch`
turns the valid rows into one store ``WriteBatch`` (nodes, links, derived SUBJECT_TO edges, evidence
file facts); :mod:`~loaders.inventory.write` writes it in one transaction and reports. Each step
imports only the ones before it (tests/test_architecture.py); callers use the names
re-exported here.
"""

from loaders.inventory.validate import Parsed, validate
from loaders.inventory.write import LoadReport, Progress, load_inventory

__all__ = ["LoadReport", "Parsed", "Progress", "load_inventory", "validate"]
