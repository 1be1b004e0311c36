from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rightstrack.analysis import services
from rightstrack.formats.exceptions import InputError
from rightstrack.recommendations.models import Recommendation


class Command(BaseCommand):
    help = """Propose groups of one State's recommendations that ask for the same thing.

    Replaces the State's earlier *proposed* groups; confirmed groups and their members are
    left alone. Then links every recommendation that repeats an earlier one (an earlier year
    or document, from any mechanism) to it. People confirm, split and merge the proposed
    groups at /groups/.
    """

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--country", required=True, help="the State concerned: name, alias or ISO code"
        )
        parser.add_argument(
            "--threshold", type=float, help="similarity 0-1 (default: the method's own)"
        )
        parser.add_argument("--method", default="lexical", help="lexical (default) or embeddings")
        parser.add_argument("--no-repeats", action="store_true", help="do not mark repeats")

    def handle(self, *args: Any, **options: Any) -> None:
        from rightstrack.accounts.services import find_country

        try:
            country = find_country(options["country"])
            groups = services.propose_groups(
                Recommendation.objects.filter(country=country),
                threshold=options["threshold"],
                method=options["method"],
            )
            repeats = (
                0
                if options["no_repeats"]
                else services.mark_repeats(
                    country, threshold=options["threshold"], method=options["method"]
                )
            )
        except InputError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"proposed {len(groups)} groups and found {repeats} repeated recommendations "
            f"for {country.name}"
        )
