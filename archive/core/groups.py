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


def revoke(apps, perms: list[tuple[str, str]], groups=(RESEARCHER, REVIEWER)) -> None:
    """Take the permissions named by (app_label, codename) back from the staff groups
    (the reverse of a migration that granted them)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {}
    for app_label, codename in perms:
        wanted.setdefault(app_label, set()).add(codename)
    found = Permission.objects.none()
    for app_label, codenames in wanted.items():
        found = found | Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    for group in Group.objects.filter(name__in=list(groups)):
        group.permissions.remove(*found)


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


class CommandLine:
    """Who runs a command from a terminal without naming an account (``--as``): everything
    a researcher may do (drafts, every add, change and view permission), nothing that
    needs a publish permission. Creating, changing or merging a published record from a
    terminal takes ``--as`` an account that may publish it, which the history then names.
    """

    pk = None
    id = None
    is_active = True
    is_staff = True
    is_superuser = False
    is_anonymous = False
    is_authenticated = True

    def has_perm(self, perm: str, obj=None) -> bool:
        return not perm.partition(".")[2].startswith("publish_")

    def has_perms(self, perms, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perms)

    def get_username(self) -> str:
        return ""

    def __str__(self):
        return "the command line"


def account_for_command(username: str | None):
    """The account named by a command's ``--as`` (active), or ``CommandLine()`` without
    one. Raises ``LookupError`` with a message naming what is wrong."""
    if not username:
        return CommandLine()
    from django.contrib.auth import get_user_model

    User = get_user_model()
    try:
        user = User.objects.get(**{User.USERNAME_FIELD: username})
    except User.DoesNotExist:
        raise LookupError(f"--as {username}: no user called '{username}'") from None
    if not user.is_active:
        raise LookupError(f"--as {username}: the account '{username}' is not active")
    return user
