"""How gap findings relate: duties of the organisation, and findings a more specific one covers.

Both are data with the article text they rest on, read by :mod:`graph.gaps`; docs/gap-rules.md
lists them (generated).
"""

from __future__ import annotations

from dataclasses import dataclass

# Articles that bind the operator as such — one duty of the organisation, however many systems it
# runs — rather than each AI system. `article_without_control` reports them once, as subject
# ``org:<article id>``, listing the systems in scope. Considered and left per system: Art. 17 (the
# provider's quality management system has system-specific parts, 17(1)(b)-(g), and is checked
# against each system in conformity assessment, Art. 43) and Art. 26 (duties per system used).
ORGANISATION_LEVEL: dict[str, str] = {
    "AIA-4": "Art. 4: providers and deployers shall take measures to ensure a sufficient level "
    "of AI literacy of their staff and other persons dealing with AI systems on their behalf — "
    "a duty towards the organisation's people, met once for all its systems.",
}


@dataclass(frozen=True)
class Suppression:
    """A gap of rule ``by`` for a system hides the gap of rule ``hides`` for the same system and
    one of ``articles`` (numbers as in :attr:`graph.gaps.Gap.article`): one fact, one finding."""

    by: str
    hides: str
    articles: tuple[str, ...]
    basis: str


SUPPRESSIONS: tuple[Suppression, ...] = (
    Suppression(
        "prohibited_practice_in_use", "article_without_control", ("5",),
        "The only way to comply with Art. 5(1) for a prohibited practice is to stop it; the "
        "critical finding already says so, so 'no control addresses Art. 5' adds nothing.",
    ),
    Suppression(
        "prohibited_practice_not_yet_in_use", "article_without_control", ("5",),
        "A planned or developing Art. 5(1) practice complies only by never being used; that "
        "finding already says so, so 'no control addresses Art. 5' adds nothing.",
    ),
)  # fmt: skip
