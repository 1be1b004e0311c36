"""Keep the Deadline table current: recompute what a saved object changes.

Single saves (a coordinator's assignment, an edited document, a rule changed in the admin) go
through these receivers; imports write in bulk, which sends no per-row signal, so the end of an
import (its ImportBatch saved as done) recomputes what the batch touched.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from rightstrack.deadlines import services
from rightstrack.deadlines.models import Deadline, FollowUpRule, Kind, UprRule
from rightstrack.recommendations.models import Document, ImportBatch, Recommendation, Review
from rightstrack.tracking.models import Assignment, Indicator, Measurement


def _later(fn: Any, *args: Any) -> None:
    """Recompute now, inside the transaction that made the change (so both commit together)."""
    fn(*args)


@receiver(post_save, sender=Assignment)
def _assignment_saved(sender: Any, instance: Assignment, raw: bool = False, **kw: Any) -> None:
    if not raw:
        _later(services.refresh_assignments, [instance.pk])


@receiver(post_save, sender=Indicator)
def _indicator_saved(sender: Any, instance: Indicator, raw: bool = False, **kw: Any) -> None:
    if not raw:
        _later(services.refresh_indicators, [instance.pk])


@receiver(m2m_changed, sender=Indicator.recommendations.through)
def _indicator_linked(sender: Any, instance: Any, action: str, **kw: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Indicator):
        services.refresh_indicators([instance.pk])


@receiver(post_save, sender=Measurement)
@receiver(post_delete, sender=Measurement)
def _measurement_changed(sender: Any, instance: Measurement, raw: bool = False, **kw: Any) -> None:
    if not raw:
        _later(services.refresh_indicators, [instance.indicator_id])


@receiver(post_save, sender=Recommendation)
def _recommendation_saved(
    sender: Any, instance: Recommendation, raw: bool = False, **kw: Any
) -> None:
    if raw:
        return
    if instance.follow_up or instance.follow_up_due_date:
        _later(services.refresh_recommendations, [instance.pk])
        return
    fields = kw.get("update_fields")
    touched = fields is None or {"follow_up", "follow_up_due_date", "mechanism"} & set(fields)
    if not kw.get("created") and touched:
        # It may have been selected before: drop its reply deadline (nothing to do when new).
        Deadline.objects.filter(key=f"follow_up_reply:{instance.pk}").delete()


@receiver(post_save, sender=Document)
def _document_saved(sender: Any, instance: Document, raw: bool = False, **kw: Any) -> None:
    if raw:
        return

    services.refresh_documents([instance.pk])
    recs = Recommendation.objects.filter(document=instance, follow_up=True)
    services.refresh_recommendations(recs.values_list("id", flat=True))


@receiver(post_save, sender=Review)
@receiver(post_delete, sender=Review)
def _review_changed(sender: Any, instance: Review, raw: bool = False, **kw: Any) -> None:
    if not raw:
        _later(services.refresh_reviews, [instance.country_id])


@receiver(post_save, sender=FollowUpRule)
@receiver(post_delete, sender=FollowUpRule)
def _rule_changed(sender: Any, instance: FollowUpRule, raw: bool = False, **kw: Any) -> None:
    if not raw:
        _later(services.refresh_body, instance.body_code)


@receiver(post_save, sender=UprRule)
@receiver(post_delete, sender=UprRule)
def _upr_rule_changed(sender: Any, instance: UprRule, raw: bool = False, **kw: Any) -> None:
    if not raw:
        _later(services.refresh_upr)


@receiver(post_save, sender=ImportBatch)
def _import_done(sender: Any, instance: ImportBatch, raw: bool = False, **kw: Any) -> None:
    if not raw and instance.status == ImportBatch.Status.DONE:
        _later(services.refresh_import, instance.pk)


__all__ = ["Kind"]
