"""The newsroom's two roles as groups, and the first-publication date of existing articles.

Writers create and edit their own articles and submit them for review; editors publish,
schedule, unpublish and edit anything. Admins add people to a group; the rules that the
permissions stand for are enforced in ``articles.services``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F

WRITER_PERMISSIONS = [
    "articles.view_article",
    "articles.add_article",
    "articles.change_article",
    "articles.view_articleauthor",
    "articles.add_articleauthor",
    "articles.change_articleauthor",
    "articles.delete_articleauthor",
    "articles.view_articletag",
    "articles.add_articletag",
    "articles.change_articletag",
    "articles.delete_articletag",
    "articles.view_correction",
    "articles.view_articlerevision",
    "articles.view_section",
    "articles.view_tag",
    "articles.add_tag",
    "authors.view_author",
    "authors.view_authorlink",
    "media.view_image",
    "media.add_image",
    "media.change_image",
    "media.view_imagecredit",
    "media.add_imagecredit",
    "media.change_imagecredit",
]

EDITOR_EXTRA_PERMISSIONS = [
    "articles.delete_article",
    "articles.publish_article",
    "articles.edit_any_article",
    "articles.add_correction",
    "articles.change_correction",
    "articles.delete_correction",
    "articles.add_section",
    "articles.change_section",
    "articles.delete_section",
    "articles.change_tag",
    "articles.delete_tag",
    "authors.add_author",
    "authors.change_author",
    "authors.add_authorlink",
    "authors.change_authorlink",
    "authors.delete_authorlink",
    "media.delete_image",
    "media.delete_imagecredit",
]

GROUPS = {
    "Writers": WRITER_PERMISSIONS,
    "Editors": WRITER_PERMISSIONS + EDITOR_EXTRA_PERMISSIONS,
}


def _permissions(apps, names):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return found


def make_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, permissions in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, permissions))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


def fill_first_published(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status="published", first_published_at__isnull=True).update(
        first_published_at=F("published_at")
    )

class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editorial_workflow_and_revisions"),
        ("authors", "0001_initial"),
        ("media", "0002_image_facts_and_renditions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(make_groups, remove_groups),
        migrations.RunPython(fill_first_published, migrations.RunPython.noop),
    ]
