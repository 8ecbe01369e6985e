"""The Editors group: add, change and publish articles — and nothing else in the admin.
The Medical reviewers group: read and approve articles — and nothing else either."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from articles.models import MedicalReviewer
from articles.services import (
    EDITORS_GROUP,
    REVIEWERS_GROUP,
    editors_group_ensure,
    reviewers_group_ensure,
)
from flows.demo import demo_accounts_ensure


def _codenames(group):
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_editors_group_exists_after_migrate(db):
    # pytest-django migrated the test database: the post_migrate handler made the group.
    group = Group.objects.get(name=EDITORS_GROUP)
    assert ("articles", "publish_article") in _codenames(group)


def test_editors_group_ensure_is_idempotent_and_repairs(db):
    group = editors_group_ensure()
    before = _codenames(group)
    group.permissions.clear()
    assert editors_group_ensure().pk == group.pk
    assert _codenames(editors_group_ensure()) == before
    assert Group.objects.filter(name=EDITORS_GROUP).count() == 1


def test_editors_may_only_touch_articles(db):
    permissions = _codenames(editors_group_ensure())
    assert {app for app, _ in permissions} == {"articles"}
    assert ("articles", "add_article") in permissions
    assert ("articles", "change_article") in permissions
    assert ("articles", "delete_article") not in permissions


def test_seed_content_also_ensures_the_group(db):
    Group.objects.filter(name=EDITORS_GROUP).delete()
    call_command("seed_content", verbosity=0)
    assert Group.objects.filter(name=EDITORS_GROUP).exists()


def test_the_demo_editor_is_an_editor(db):
    _, editor = demo_accounts_ensure()
    assert editor.groups.filter(name=EDITORS_GROUP).exists()
    assert editor.has_perm("articles.publish_article")
    assert not editor.has_perm("accounts.view_user")


def _non_article_models():
    return [model for model in admin.site._registry if model._meta.app_label != "articles"]


def _closed_models():
    """Everything outside articles, and the reviewers' names (superusers' to edit)."""
    return [*_non_article_models(), MedicalReviewer]


@pytest.mark.parametrize("role", ["editor_client", "reviewer_client"])
@pytest.mark.parametrize("model", _closed_models(), ids=lambda model: model._meta.label_lower)
def test_staff_roles_cannot_see_any_other_admin_model(request, role, model):
    """Every model registered in the admin outside articles (users, and tracker and
    reminder data once those apps register theirs) is closed to editors and reviewers."""
    client = request.getfixturevalue(role)
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 403
    assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403
    instance = model._default_manager.first()
    if instance is not None:
        url = reverse("admin:{}_{}_change".format(*info), args=[instance.pk])
        assert client.get(url).status_code == 403


def test_there_is_at_least_one_other_model_to_guard():
    assert any(m._meta.label == "accounts.User" for m in _non_article_models())


@pytest.mark.parametrize("role", ["editor_client", "reviewer_client"])
def test_the_admin_index_lists_only_articles_to_editors_and_reviewers(request, role):
    response = request.getfixturevalue(role).get(reverse("admin:index"))
    assert response.status_code == 200
    apps = {app["app_label"] for app in response.context["app_list"]}
    assert apps == {"articles"}
    models = {m["object_name"] for m in response.context["app_list"][0]["models"]}
    assert models == {"Article", "Tag"}


def test_editors_can_add_articles_in_the_admin(editor_client):
    assert editor_client.get(reverse("admin:articles_article_add")).status_code == 200
    assert editor_client.get(reverse("admin:articles_article_changelist")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_editors_group_is_back_after_a_flush():
    # Transactional tests flush every table; post_migrate (re-sent by flush) rebuilds it.
    call_command("flush", interactive=False, verbosity=0)
    assert Group.objects.get(name=EDITORS_GROUP).permissions.count() == 11
    assert Group.objects.get(name=REVIEWERS_GROUP).permissions.count() == 4


def test_reviewers_group_exists_after_migrate_and_may_only_read_and_approve(db):
    group = Group.objects.get(name=REVIEWERS_GROUP)
    assert _codenames(group) == {
        ("articles", "view_article"),
        ("articles", "approve_article"),
        ("articles", "view_tag"),
        ("articles", "view_reference"),
    }
    assert reviewers_group_ensure().pk == group.pk


def test_reviewers_cannot_change_articles_in_the_admin(reviewer_client, article_factory):
    article = article_factory()
    assert reviewer_client.get(reverse("admin:articles_article_add")).status_code == 403
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert reviewer_client.get(change).status_code == 200  # read, to review
    assert reviewer_client.post(change, {"title": "Changed"}).status_code == 403
