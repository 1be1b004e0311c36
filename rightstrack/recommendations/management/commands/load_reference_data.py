from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rightstrack.recommendations import services


class Command(BaseCommand):
    help = """Create or update the countries, treaty bodies, UPR and built-in taxonomies.

    Reads rightstrack/engine/data (countries.csv and taxonomies/), with the crosswalk from
    legacy to current terms. Idempotent and quick; every import and the demo loader run it.
    Never deletes a row: recommendations may still refer to it.
    """

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.load_reference_data()
        self.stdout.write(
            f"{counts.countries} countries, {counts.bodies} bodies, "
            f"{counts.taxonomies} taxonomies, {counts.terms} terms "
            f"({counts.changed} rows created or changed)"
        )
