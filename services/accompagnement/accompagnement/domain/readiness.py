"""Is a case ready for its next step? A no-go diagnosis, or required documents still missing
from the answer's file, are said before drafting and block the deposit (the move to « En
attente du résultat », when the answer is handed in) unless an advisor overrides them with a
reason, which the case's history keeps."""

from __future__ import annotations

from collections.abc import Sequence

from centrale.french import join_with_et, quoted

from .diagnosis import Decision
from .stages import Stage


def readiness_warnings(decision: Decision | str | None, missing: Sequence[str]) -> list[str]:
    """What stands against going on, in French (``missing``: labels of the required documents
    not ready)."""
    warnings = []
    if decision is not None and Decision(decision) is Decision.NO_GO:
        warnings.append("Le diagnostic conclut à ne pas répondre (no-go).")
    if missing:
        warnings.append(f"Pièce{'s' if len(missing) > 1 else ''} obligatoire"
                        f"{'s' if len(missing) > 1 else ''} manquante"
                        f"{'s' if len(missing) > 1 else ''} : {join_with_et(list(missing))}.")
    return warnings


def deposit_refusal(target: Stage, warnings: Sequence[str], override_reason: str | None) -> str | None:
    """The French refusal of a deposit with warnings and no override; None when it may go."""
    if Stage(target) is not Stage.AWAITING_RESULT or not warnings:
        return None
    if override_reason and len(override_reason.strip()) >= 3:
        return None
    return (f"Dépôt bloqué : {' '.join(warnings)} Pour déposer quand même, un conseiller "
            f"indique le motif du passage à {quoted(Stage.AWAITING_RESULT.label)}.")


def override_note(warnings: Sequence[str], override_reason: str) -> str:
    """What the history keeps of an overridden deposit."""
    return f"Déposé malgré l'avertissement ({' '.join(warnings)}) — motif : {override_reason.strip()}"
