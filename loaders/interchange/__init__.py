"""Crosswalk interchange: OSCAL 1.2 mapping collections (JSON) and SSSOM/TSV, both ways.

Source/subject = ISO/IEC 42001 element, target/object = AI Act article or paragraph, as in the
crosswalk. ``docs/interchange.md`` has the relation tables, the id and CURIE scheme and what does
not round-trip. Imports collect every problem (file, line or JSON path, field), check the ids
against the catalogs (``common.finish``), and raise one :class:`LoadValidationError`.
"""

from loaders.interchange.oscal import CG_NS, OSCAL_VERSION, from_oscal, to_oscal
from loaders.interchange.sssom import from_sssom, to_sssom

__all__ = ["CG_NS", "OSCAL_VERSION", "from_oscal", "from_sssom", "to_oscal", "to_sssom"]
