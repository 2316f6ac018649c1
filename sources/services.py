"""Writes that follow a citation: a person's search keys hold the names that published
sources give for them (``Person.version_names``), so that search finds a person by a
name only one source gives."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType

from archive.core.provenance import NAME_CLAIMS
from sources.models import Citation


def refresh_name_keys(records) -> None:
    """Recompute and write the search keys of ``records`` (people), without a history
    entry: the keys are derived, not a change of what the record says."""
    for record in records:
        if not hasattr(record, "refresh_name_keys"):
            continue
        record._version_names = None
        record.refresh_name_keys()
        type(record)._default_manager.filter(pk=record.pk).update(name_keys=record.name_keys)


def refresh_keys_of_citation(sender, instance: Citation, raw=False, **kwargs) -> None:
    """A citation of a name with a value of its own (saved, changed or deleted)."""
    if raw or not (instance.claim in NAME_CLAIMS or instance.value):
        return
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if model is None or not hasattr(model, "refresh_name_keys"):
        return
    refresh_name_keys(model._default_manager.filter(pk=instance.object_id))


def refresh_keys_of_source(sender, instance, raw=False, created=False, **kwargs) -> None:
    """A source published or withdrawn: the names it gives count (or stop counting)."""
    if raw or created:
        return
    cited = (
        Citation.objects.filter(source=instance, claim__in=NAME_CLAIMS)
        .exclude(value="")
        .values_list("content_type_id", "object_id")
    )
    by_type: dict[int, set[int]] = defaultdict(set)
    for content_type_id, object_id in cited:
        by_type[content_type_id].add(object_id)
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and hasattr(model, "refresh_name_keys"):
            refresh_name_keys(model._default_manager.filter(pk__in=ids))
