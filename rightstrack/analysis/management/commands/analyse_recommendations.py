from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rightstrack.analysis import services
from rightstrack.formats.exceptions import InputError
from rightstrack.recommendations.models import Recommendation


class Command(BaseCommand):
    help = """Analyse recommendations and store the results.

    Stores each recommendation's action category, verb, concrete action, rights-holders,
    detail and protection relevance, and suggests groups of persons, themes and SDG goals as
    classifier labels for people to review at /review/. Labels from a document or a person are
    never changed. Without --all, only recommendations not yet analysed by the current
    analyser are analysed; --country limits the run to one State.
    """

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--country", help="the State concerned: name, alias or ISO code")
        parser.add_argument("--all", action="store_true", help="re-analyse every recommendation")
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="recommendations per chunk"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from rightstrack.accounts.services import find_country

        recs = Recommendation.objects.all()
        if options["country"]:
            try:
                recs = recs.filter(country=find_country(options["country"]))
            except InputError as exc:
                raise CommandError(str(exc)) from None
        if not options["all"]:
            recs = recs.exclude(analysis__model_version=services.analyser_version())

        def progress(done: int, total: int) -> None:
            if done and total:
                self.stdout.write(f"analysed {done} of {total}")

        count = services.analyse_recommendations(
            recs, batch_size=options["batch_size"], progress=progress
        )
        self.stdout.write(f"analysed {count} recommendations")
