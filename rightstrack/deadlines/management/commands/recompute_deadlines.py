"""rightstrack manage recompute_deadlines: recompute every deadline from the rules."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Recompute every deadline from the procedures and the dates (after a bulk change)."

    def handle(self, *args: Any, **options: Any) -> None:
        from rightstrack.deadlines.services import refresh_all

        counts = refresh_all()
        self.stdout.write(", ".join(f"{k} {n}" for k, n in counts.items()))
