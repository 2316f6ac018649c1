"""The staff groups and what each may do, made by migrations so that every install has
them: researchers write drafts and send them for review; reviewers also publish and
withdraw."""

RESEARCHER = "researcher"
REVIEWER = "reviewer"

# Models a researcher edits freely (drafts) — (app_label, model_name).
RESEARCH_MODELS = [
    ("archive", "place"),
    ("archive", "organisation"),
    ("archive", "event"),
    ("sources", "source"),
    ("sources", "citation"),
    ("perpetrators", "perpetrator"),
    ("perpetrators", "commission"),
    ("perpetrators", "commissionmembership"),
    ("perpetrators", "position"),
    ("perpetrators", "statement"),
    ("victims", "victim"),
]
PUBLISHABLE_MODELS = [
    ("archive", "event"),
    ("sources", "source"),
    ("perpetrators", "perpetrator"),
    ("perpetrators", "commission"),
    ("victims", "victim"),
]


def ensure_permissions(apps) -> None:
    """Permissions are made after migrations run; a data migration that hands them out
    must make them first."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, group_name: str, perms: list[tuple[str, str]]) -> None:
    """Give ``group_name`` the permissions named by (app_label, codename)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, codename in perms:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def research_permissions(models) -> list[tuple[str, str]]:
    return [
        (app, f"{action}_{model}")
        for app, model in models
        for action in ("view", "add", "change", "delete")
    ]


def create_staff_groups(apps, schema_editor) -> None:
    ensure_permissions(apps)
    research = research_permissions(RESEARCH_MODELS)
    grant(apps, RESEARCHER, research)
    grant(
        apps,
        REVIEWER,
        research + [(app, f"publish_{model}") for app, model in PUBLISHABLE_MODELS],
    )


def remove_staff_groups(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=[RESEARCHER, REVIEWER]).delete()
