from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0005_status_indexed_by_the_lists"),
        ("perpetrators", "0017_names_folded_with_fresh_plans"),
        ("victims", "0029_linkage_pairs_sha256"),
    ]

    # The sitemap's pages count the published victims before them in this index alone
    # (``archive.public.sitemaps``): a page deep in a million read every record before it.
    operations = [
        migrations.AddIndex(
            model_name="victim",
            index=models.Index(
                condition=models.Q(("publication_status", "published")),
                fields=["id"],
                name="victim_published_id",
            ),
        ),
    ]
