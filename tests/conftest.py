"""Shared fixtures: the personas who use the archive (anonymous reader, researcher,
reviewer) and the seed records."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from archive.groups import RESEARCHER, REVIEWER


def _staff(django_user_model, username, group):
    user = django_user_model.objects.create_user(
        username, password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def researcher(db, django_user_model):
    return _staff(django_user_model, "researcher", RESEARCHER)


@pytest.fixture
def reviewer(db, django_user_model):
    return _staff(django_user_model, "reviewer", REVIEWER)


@pytest.fixture
def researcher_client(client, researcher):
    client.force_login(researcher)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def anonymous(client):
    return client


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)
