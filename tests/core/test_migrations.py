import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_staff_groups_exist_with_their_permissions():
    from django.contrib.auth.models import Group

    researcher = Group.objects.get(name="researcher")
    reviewer = Group.objects.get(name="reviewer")
    assert researcher.permissions.filter(codename="change_victim").exists()
    assert not researcher.permissions.filter(codename="publish_victim").exists()
    assert reviewer.permissions.filter(codename="publish_victim").exists()
