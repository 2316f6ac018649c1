"""Places get a slug (their public page's address, /places/<slug>/), filled here for the
places a database already holds, so that ``migrate`` alone brings a seeded database up."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    """Each place's slug from its Latin name, "place-<id>" without one; a name given
    twice gets "-2", "-3"… (the rule of ``archive.core.models.unique_place_slug``,
    restated here because a migration must not import the model of today)."""
    Place = apps.get_model("archive", "Place")
    taken = set()
    for place in Place.objects.order_by("pk"):
        base = slugify(place.name_en or "")[:70].strip("-") or f"place-{place.pk}"
        slug, n = base, 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        place.slug = slug
        place.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0003_cache_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalplace",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Stable part of the place's URL; made from the Latin name when left blank.",
                max_length=80,
                verbose_name="slug",
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="slug",
            # No index yet: the unique constraint below makes it (on PostgreSQL, an index
            # here and then the constraint would both make the same "_like" index).
            field=models.SlugField(
                blank=True, db_index=False, default="", max_length=80, verbose_name="slug"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="place",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Stable part of the place's URL; made from the Latin name when left blank.",
                max_length=80,
                unique=True,
                verbose_name="slug",
            ),
        ),
    ]
