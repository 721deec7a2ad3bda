"""Fixtures of the article tests: writers and editors, staff logins in the groups the
migration made."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client


def staff_in(group, username):
    """A staff login in ``group`` ("Writers" or "Editors"), nothing more."""
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def writer():
    return staff_in("Writers", "wanda")


@pytest.fixture
def other_writer():
    return staff_in("Writers", "walter")


@pytest.fixture
def editor():
    return staff_in("Editors", "edith")


@pytest.fixture
def writer_client(writer):
    return client_for(writer)


@pytest.fixture
def editor_client(editor):
    return client_for(editor)
