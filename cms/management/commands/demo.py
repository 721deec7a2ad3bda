"""``manage.py demo``: load the demo newsroom, so a new checkout has something to show.

Safe to run again: rows are matched on their slugs (images on their titles, credits on their
text and creator) and updated in place, and an image's file is drawn and stored only when the
image has none yet. Everything is written in one transaction.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleAuthor, ArticleTag, Correction, Section, Tag
from authors.models import Author, AuthorLink
from media.models import Image, ImageCredit

from . import _demo_content as content
from ._demo_pictures import render

ADMIN_USERNAME = "admin"
#: Development logins for the two newsroom roles, by username: the group each is in.
ROLE_LOGINS = {"writer": "Writers", "editor": "Editors"}
DEVELOPMENT_PASSWORD = "newsroom"  # noqa: S105 (a documented development login)

#: A line break in the source that does not start a new block element.
_WRAPPED_LINE = re.compile(r"\s*\n\s*(?!</?(?:p|h[2-4]|ul|ol|li|blockquote|cite|hr)\b)")


def unwrap(html):
    """Join the hard-wrapped lines of the demo bodies, keeping one block element per line."""
    return _WRAPPED_LINE.sub(" ", html.strip())


class Command(BaseCommand):
    help = (
        "Load demo content: articles in three sections, authors, photos with credits. "
        "With DEBUG on, also make sure a superuser 'admin' (password 'newsroom') exists, "
        "and a 'writer' and an 'editor' in their groups, with the same password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-password",
            help="Create the superuser 'admin' with this password, or reset its password. "
            "Needed to create it at all when DEBUG is off.",
        )

    def handle(self, *args, admin_password=None, **options):
        now = timezone.now()
        self.stored_files = []
        try:
            with transaction.atomic():
                counts = self.load(now)
                admin_message = self.ensure_admin(admin_password)
                roles_message = self.ensure_role_logins(admin_password)
        except BaseException:
            # The rows are rolled back; remove the files written for them too.
            for name in self.stored_files:
                Image._meta.get_field("file").storage.delete(name)
            raise

        self.stdout.write(
            self.style.SUCCESS(
                "Demo content loaded: {articles} articles ({public} public, {scheduled} "
                "scheduled, {review} in review, {draft} draft) in {sections} sections with "
                "{tags} tags; {authors} authors; {images} images ({new_files} new files) with "
                "{credits} credits.".format(**counts)
            )
        )
        self.stdout.write(admin_message)
        if roles_message:
            self.stdout.write(roles_message)

    # -- Content ------------------------------------------------------------------------------

    def load(self, now):
        sections = {
            spec["slug"]: Section.objects.update_or_create(
                slug=spec["slug"],
                defaults={"name": spec["name"], "description": spec["description"]},
            )[0]
            for spec in content.SECTIONS
        }
        tags = {
            slug: Tag.objects.update_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in content.TAGS.items()
        }
        credits = {key: self.load_credit(spec, now) for key, spec in content.CREDITS.items()}
        images, new_files = self.load_images(credits, now)
        authors = {spec["slug"]: self.load_author(spec, images) for spec in content.AUTHORS}
        articles = [
            self.load_article(spec, now, sections, tags, authors, images)
            for spec in content.ARTICLES
        ]

        demo = Article.objects.filter(pk__in=[article.pk for article in articles])
        return {
            "articles": len(articles),
            "public": demo.public(now).count(),
            "scheduled": demo.filter(status=Article.Status.PUBLISHED, published_at__gt=now).count(),
            "review": demo.filter(status=Article.Status.REVIEW).count(),
            "draft": demo.filter(status=Article.Status.DRAFT).count(),
            "sections": len(sections),
            "tags": len(tags),
            "authors": len(authors),
            "images": len(images),
            "new_files": new_files,
            "credits": len(credits),
        }

    def load_credit(self, spec, now):
        spec = dict(spec)
        expire_in_days = spec.pop("rights_expire_in_days", None)
        defaults = {
            "copyright_notice": "",
            "license_url": "",
            "source_url": "",
            "acquire_license_page": "",
            **spec,
            "rights_expire_at": now + timedelta(days=expire_in_days) if expire_in_days else None,
        }
        text, creator = defaults.pop("text"), defaults.pop("creator")
        credit, _ = ImageCredit.objects.update_or_create(
            text=text, creator=creator, defaults=defaults
        )
        return credit

    def image_specs(self):
        yield from content.IMAGES
        for author in content.AUTHORS:
            initials, color = author["portrait"]
            yield {
                "title": f"Portrait of {author['name']}",
                "scene": "portrait",
                "size": content.SQUARE,
                "options": {"initials": initials, "color": color},
                "alt_text": f"Portrait of {author['name']}.",
                "caption": f"{author['name']}, {author['role']}.",
                "credit": "portraits",
                "focal": (0.5, 0.4),
            }

    def load_images(self, credits, now):
        """Images are keyed by title; a file is drawn and stored only if there is none yet."""
        images, new_files = {}, 0
        for spec in self.image_specs():
            image = Image.objects.filter(title=spec["title"]).order_by("pk").first()
            if image is None:
                image = Image(title=spec["title"])
            image.alt_text = spec["alt_text"]
            image.caption = spec["caption"]
            image.credit = credits[spec["credit"]]
            image.focal_x, image.focal_y = spec.get("focal", (0.5, 0.5))

            if not image.file or not image.file.storage.exists(image.file.name):
                options = dict(spec.get("options", {}))
                if spec["scene"] == "price_chart":
                    options["last_year"] = now.year
                data = render(spec["scene"], spec["size"], **options)
                image.file = ContentFile(data, name=f"{slugify(spec['title'])}.jpg")
                image.save()
                self.stored_files.append(image.file.name)
                new_files += 1
            else:
                image.save()  # the stored file is kept; only the description is updated
            images[spec["title"]] = image
        return images, new_files

    def load_author(self, spec, images):
        author, _ = Author.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "role": spec["role"],
                "location": spec["location"],
                "bio": spec["bio"],
                "avatar": images[f"Portrait of {spec['name']}"],
                "active": True,
            },
        )
        for position, (label, url) in enumerate(spec["links"]):
            AuthorLink.objects.update_or_create(
                author=author, position=position, defaults={"label": label, "url": url}
            )
        author.links.filter(position__gte=len(spec["links"])).delete()
        return author

    def load_article(self, spec, now, sections, tags, authors, images):
        if "hours_ahead" in spec:
            published_at = now + timedelta(hours=spec["hours_ahead"])
        elif "hours_ago" in spec:
            published_at = now - timedelta(hours=spec["hours_ago"])
        else:
            published_at = None
        lead_image = spec.get("lead_image")
        article, _ = Article.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "standfirst": spec["standfirst"],
                "body": content.with_photo_ids(unwrap(spec["body"]), images),
                "section": sections[spec["section"]],
                "status": spec.get("status", Article.Status.PUBLISHED),
                "published_at": published_at,
                "unpublish_at": None,
                "lead_image": images[lead_image] if lead_image else None,
                "lead_image_caption": spec.get("lead_image_caption", ""),
                "original_publisher": spec.get("original_publisher", ""),
                "original_url": spec.get("original_url", ""),
                "canonical_url": "",
                "seo_title": spec.get("seo_title", ""),
                "seo_description": "",
            },
        )

        bylines = [
            ArticleAuthor.objects.update_or_create(
                article=article,
                author=authors[author_slug],
                defaults={"position": position, "byline_role": role},
            )[0].pk
            for position, (author_slug, role) in enumerate(spec["bylines"])
        ]
        article.bylines.exclude(pk__in=bylines).delete()

        article_tags = [
            ArticleTag.objects.get_or_create(article=article, tag=tags[slug])[0].pk
            for slug in spec["tags"]
        ]
        article.article_tags.exclude(pk__in=article_tags).delete()

        corrections = [
            Correction.objects.update_or_create(
                article=article,
                text=text,
                defaults={"date": now - timedelta(hours=hours_ago)},
            )[0].pk
            for hours_ago, text in spec.get("corrections", [])
        ]
        article.corrections.exclude(pk__in=corrections).delete()
        return article

    # -- Development login --------------------------------------------------------------------

    def ensure_admin(self, password):
        """A known-password superuser only in development, or when a password is given."""
        if password is None and not settings.DEBUG:
            return self.style.WARNING(
                "No superuser created: DEBUG is off, and a known development password is "
                "never set then. Run `manage.py createsuperuser`, or pass --admin-password."
            )
        User = get_user_model()
        user = User.objects.filter(username=ADMIN_USERNAME).first()
        if user is None:
            User.objects.create_superuser(
                ADMIN_USERNAME,
                email="admin@example.org",
                password=password or DEVELOPMENT_PASSWORD,
            )
            shown = "the password given" if password else f"password “{DEVELOPMENT_PASSWORD}”"
            return f"Created the superuser “{ADMIN_USERNAME}” with {shown}."
        if password is not None:
            user.set_password(password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
            return f"Set a new password for the superuser “{ADMIN_USERNAME}”."
        return (
            f"The user “{ADMIN_USERNAME}” already exists; its password was left unchanged "
            "(pass --admin-password to reset it)."
        )

    def ensure_role_logins(self, password):
        """In development, a writer and an editor to try the roles with, in the groups the
        migrations made, with the admin's password; never with DEBUG off."""
        if not settings.DEBUG:
            return None
        User = get_user_model()
        created, reset = [], []
        for username, group_name in ROLE_LOGINS.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username,
                    email=f"{username}@example.org",
                    password=password or DEVELOPMENT_PASSWORD,
                    is_staff=True,
                )
                created.append(username)
            elif password is not None:
                user.set_password(password)
                user.is_staff = user.is_active = True
                user.save()
                reset.append(username)
            user.groups.add(Group.objects.get(name=group_name))
        lines = []
        if created:
            shown = "the password given" if password else f"password “{DEVELOPMENT_PASSWORD}”"
            lines.append(
                "Created the newsroom logins {} with {}.".format(
                    " and ".join(f"“{name}” ({ROLE_LOGINS[name]})" for name in created), shown
                )
            )
        if reset:
            lines.append(
                "Set the new password for {}.".format(" and ".join(f"“{n}”" for n in reset))
            )
        if not lines:
            lines.append(
                "The logins “writer” and “editor” already exist; their passwords were left "
                "unchanged."
            )
        return "\n".join(lines)
