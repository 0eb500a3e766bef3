"""The inventory loader (moved here; restructured in the next commit)."""

from loaders.inventory.load import LoadReport, Parsed, Progress, load_inventory, validate

__all__ = ["LoadReport", "Parsed", "Progress", "load_inventory", "validate"]
