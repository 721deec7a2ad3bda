"""``manage.py seed``: fill the database with a newsroom-sized archive for benchmarks.

    python manage.py seed --articles 100000 --authors 2000 --images 20000

The shape follows a real news site: 1–3 authors per article (the first "written by", others
"additional reporting" or "photos by"), 2–5 tags from a pool, one section each, a lead photo
with a credit, an 800-word body with two inline photos, a few percent drafts, articles in review
and scheduled ones, publication times spread over ten years. Rows are written with
``bulk_create`` in large batches, one transaction per batch, so 100k articles take minutes.

Photos: a handful of real files (drawn with Pillow, stored once through the storage) are
shared by all image rows, each row with its own title, alt text and credit. Rendition URLs
include the image's id, so every row still gets renditions of its own.

Safe to run again: seeded rows have slugs starting ``seed-``; a second run with the same
counts adds nothing, a run with larger counts adds only the difference. ``--clear`` deletes
the seeded rows first. Other content (demo articles, real articles) is left alone.
"""

import io
import itertools
import random
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from articles import search
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleBodyImage,
    ArticleTag,
    Section,
    Tag,
)
from authors.models import Author
from cms import events, response_cache
from media.models import Image, ImageCredit, License

PREFIX = "seed-"
REAL_FILES = 8
WORDS = """
council budget river harbour minister election court report police transport hospital
school energy market shares bank housing planning storm flood weather coast farmers
union strike talks deal trade border museum festival theatre season league match coach
club stadium research university study scientists climate emissions railway airport
officials residents spokesperson statement inquiry evidence figures month week year
quarter growth prices rent wages jobs workers company chief executive board investors
plan proposal vote debate committee chamber mayor district village county city region
""".split()  # noqa: SIM905 (a paragraph reads better than 80 quoted words)
SECTIONS = [
    "World", "Politics", "Business", "Science", "Climate", "Culture", "Sport", "Technology",
    "Health", "Education", "Local", "Opinion",
]  # fmt: skip
CREDITS = ["Staff photographer", "Reuters", "Associated Press", "Handout", "Creative Commons"]


def _vocabulary():
    """Body words with a natural spread: a Zipf distribution over about 6,000 words.

    Invented words (from syllables, always the same ones) fill the long tail; the newsroom
    words of ``WORDS`` sit between ranks 400 and 6,000, so the commonest of them ("council")
    is in about one article in five, like a common word in a real archive, and the rarest in
    one or two in a hundred. Search benchmarks rely on that spread.
    """
    rng = random.Random(7)  # noqa: S311 (test data, not secrets)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    invented = list(
        dict.fromkeys("".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6500))
    )
    vocabulary = invented[:6000]
    for position, word in enumerate(WORDS):
        vocabulary.insert(400 + 68 * position, word)
    weights = itertools.accumulate(1 / rank for rank in range(1, len(vocabulary) + 1))
    return vocabulary, list(weights)


VOCABULARY, CUMULATIVE_WEIGHTS = _vocabulary()


def _sentence(rng):
    words = rng.choices(VOCABULARY, cum_weights=CUMULATIVE_WEIGHTS, k=rng.randint(9, 18))
    return " ".join(words).capitalize() + "."


def _paragraphs(rng, count):
    return [" ".join(_sentence(rng) for _ in range(6)) for _ in range(count)]


def _picture(index):
    """A real JPEG, different for each index."""
    rng = random.Random(index)  # noqa: S311 (test data, not secrets)
    image = PILImage.new("RGB", (1600, 1067), tuple(rng.randrange(40, 220) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(1600), rng.randrange(1067)
        r = rng.randrange(40, 300)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Fill the database with a large, realistic archive (slugs 'seed-...') for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=2000)
        parser.add_argument("--authors", type=int, default=200)
        parser.add_argument("--images", type=int, default=500)
        parser.add_argument("--tags", type=int, default=400, help="Size of the tag pool.")
        parser.add_argument("--batch", type=int, default=2000, help="Rows per INSERT batch.")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (same data again).")
        parser.add_argument("--clear", action="store_true", help="Delete seeded rows first.")

    def handle(self, *args, **options):
        for name in ("articles", "authors", "images", "tags"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        self.rng = random.Random(options["seed"])  # noqa: S311 (test data, not secrets)
        self.batch = options["batch"]
        self.now = timezone.now()
        started = time.perf_counter()
        if options["clear"]:
            self.clear()
        sections = self.sections()
        tags = self.tags(options["tags"])
        images = self.images(options["images"])
        authors = self.authors(options["authors"], images)
        created = self.articles(options["articles"], sections, tags, authors, images)
        # bulk_create sends no signals: public seeded articles count as announced (an import is
        # not announced article by article), and cached API responses are dropped, to be renewed
        # again when the first scheduled seeded article is due.
        events.mark_announced(Article.objects.filter(slug__startswith=PREFIX))
        scheduled = Article.objects.filter(
            slug__startswith=PREFIX, status=Article.Status.PUBLISHED, published_at__gt=self.now
        )
        response_cache.bump(scheduled.order_by("published_at").first())
        # SQLite's search table, filled afresh and merged into one b-tree after the bulk load.
        search.rebuild_index(connection.alias)
        # Fresh statistics for the query planner: without them SQLite walks the whole public
        # listing to find one author's articles (160 ms at 100k articles, 10 ms with them).
        # PostgreSQL also gets its visibility map, without which counts and searches read the
        # table instead of their index (autovacuum may be slow to notice a bulk load, or off).
        # (VACUUM cannot run inside a transaction, as in a test; ANALYZE alone then.)
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(
            f"Seeded {created} new articles ({Article.objects.count()} in all, "
            f"{Article.objects.public().count()} public), {len(authors)} authors, "
            f"{len(images)} photos, {len(tags)} tags in {time.perf_counter() - started:.1f} s."
        )

    # -- Each kind of row ---------------------------------------------------------------------

    def clear(self):
        with transaction.atomic():
            seeded = Article.objects.filter(slug__startswith=PREFIX)
            ArticleAuthor.objects.filter(article__in=seeded).delete()
            ArticleTag.objects.filter(article__in=seeded).delete()
            ArticleBodyImage.objects.filter(article__in=seeded).delete()
            seeded.delete()
            Author.objects.filter(slug__startswith=PREFIX).delete()
            Tag.objects.filter(slug__startswith=PREFIX).delete()
            Section.objects.filter(slug__startswith=PREFIX).delete()
            files = set(
                Image.objects.filter(title__startswith=PREFIX).values_list("file", flat=True)
            )
            Image.objects.filter(title__startswith=PREFIX).delete()
            ImageCredit.objects.filter(text__startswith=PREFIX).delete()
        # The shared files go with their last row (the delete signal removes each row's file).
        self.stdout.write(f"Cleared seeded rows ({len(files)} shared photo files).")

    def sections(self):
        for name in SECTIONS:
            Section.objects.get_or_create(
                slug=PREFIX + name.lower(), defaults={"name": name, "description": f"{name} news."}
            )
        return list(Section.objects.filter(slug__startswith=PREFIX).order_by("id"))

    def tags(self, count):
        existing = Tag.objects.filter(slug__startswith=PREFIX).count()
        self._bulk(
            Tag,
            (
                Tag(name=f"{self.rng.choice(WORDS).title()} {index}", slug=f"{PREFIX}tag-{index}")
                for index in range(existing, count)
            ),
        )
        return list(Tag.objects.filter(slug__startswith=PREFIX).order_by("id")[:count])

    def images(self, count):
        credits = []
        for index, text in enumerate(CREDITS):
            credit, _ = ImageCredit.objects.get_or_create(
                text=f"{PREFIX}{text}",
                defaults={
                    "creator": "" if index else "Staff photographer",
                    "license": License.LICENSED if index < 3 else License.CC_BY,
                    "copyright_notice": f"© {text}",
                },
            )
            credits.append(credit)
        existing = list(Image.objects.filter(title__startswith=PREFIX).order_by("id"))
        # The first rows carry the real files (saved normally, so their facts are read).
        originals = existing[:REAL_FILES]
        for index in range(len(originals), min(REAL_FILES, count)):
            image = Image(
                title=f"{PREFIX}photo {index}",
                alt_text=f"A news photo, number {index}",
                caption=f"Caption of photo {index}.",
                credit=credits[index % len(credits)],
                file=ContentFile(_picture(index), name=f"seed-{index}.jpg"),
            )
            image.save()
            originals.append(image)
            existing.append(image)
        copies = (
            self._copy_image(originals[index % len(originals)], index, credits)
            for index in range(len(existing), count)
        )
        self._bulk(Image, copies)
        return list(Image.objects.filter(title__startswith=PREFIX).order_by("id")[:count])

    def _copy_image(self, original, index, credits):
        fields = {
            field: getattr(original, field)
            for field in (
                "width", "height", "format", "file_size", "content_hash", "placeholder",
                "dominant_color",
            )
        }  # fmt: skip
        return Image(
            title=f"{PREFIX}photo {index}",
            alt_text=f"A news photo, number {index}",
            caption=f"Caption of photo {index}.",
            credit=credits[index % len(credits)],
            file=original.file.name,
            **fields,
        )

    def authors(self, count, images):
        existing = Author.objects.filter(slug__startswith=PREFIX).count()
        rng = self.rng
        self._bulk(
            Author,
            (
                Author(
                    name=f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {index}",
                    slug=f"{PREFIX}author-{index}",
                    role=rng.choice(["News Reporter", "Correspondent", "Editor", "Photographer"]),
                    location=rng.choice(["London", "Leeds", "Glasgow", "Brussels", "Nairobi"]),
                    bio=_sentence(rng) + " " + _sentence(rng),
                    avatar=images[index % len(images)] if index % 3 else None,
                    active=index % 50 != 49,  # a few have left the newsroom
                )
                for index in range(existing, count)
            ),
        )
        return list(Author.objects.filter(slug__startswith=PREFIX).order_by("id")[:count])

    def articles(self, count, sections, tags, authors, images):
        existing = Article.objects.filter(slug__startswith=PREFIX).count()
        paragraphs = _paragraphs(self.rng, 3000)
        ten_years = timedelta(days=3652).total_seconds()
        created = 0
        for start in range(existing, count, self.batch):
            end = min(start + self.batch, count)
            rng = random.Random(f"{self.rng.random()}-{start}")  # noqa: S311
            rows, extras = [], []
            for index in range(start, end):
                kind = rng.random()
                published_at = self.now - timedelta(seconds=rng.random() * ten_years)
                status = Article.Status.PUBLISHED
                if kind < 0.03:
                    status, published_at = Article.Status.DRAFT, None
                elif kind < 0.04:
                    status, published_at = Article.Status.REVIEW, None
                elif kind < 0.05:  # scheduled
                    published_at = self.now + timedelta(hours=rng.randint(1, 24 * 14))
                inline = rng.sample(images, k=min(2, len(images)))
                body = [f"<p>{paragraph}</p>" for paragraph in rng.sample(paragraphs, 10)]
                body.insert(3, f'<figure data-image-id="{inline[0].pk}"></figure>')
                body.insert(6, "<h2>" + _sentence(rng).rstrip(".") + "</h2>")
                if len(inline) > 1:
                    body.insert(
                        8,
                        f'<figure data-image-id="{inline[1].pk}"><figcaption>'
                        f"{_sentence(rng)}</figcaption></figure>",
                    )
                title = _sentence(rng).rstrip(".")[:200]
                rows.append(
                    Article(
                        title=title,
                        slug=f"{PREFIX}{index}",
                        standfirst=_sentence(rng) + " " + _sentence(rng),
                        body="".join(body),
                        lead_image=rng.choice(images),
                        section=rng.choice(sections),
                        status=status,
                        published_at=published_at,
                        first_published_at=published_at if status == "published" else None,
                    )
                )
                extras.append(
                    (
                        rng.sample(authors, k=min(rng.randint(1, 3), len(authors))),
                        rng.sample(tags, k=min(rng.randint(2, 5), len(tags))),
                        inline,
                    )
                )
            with transaction.atomic():
                # bulk_create skips save(): the bodies above are already in the stored form.
                articles = Article.objects.bulk_create(rows)
                if articles[0].pk is None:  # databases that do not return ids
                    slugs = [article.slug for article in articles]
                    ids = dict(Article.objects.filter(slug__in=slugs).values_list("slug", "id"))
                    for article in articles:
                        article.pk = ids[article.slug]
                roles = [ArticleAuthor.BylineRole.ADDITIONAL_REPORTING, "photos-by"]
                ArticleAuthor.objects.bulk_create(
                    ArticleAuthor(
                        article=article,
                        author=author,
                        position=position,
                        byline_role=roles[position % 2] if position else "written-by",
                    )
                    for article, (byline, _, _) in zip(articles, extras, strict=True)
                    for position, author in enumerate(byline)
                )
                ArticleTag.objects.bulk_create(
                    ArticleTag(article=article, tag=tag)
                    for article, (_, article_tags, _) in zip(articles, extras, strict=True)
                    for tag in article_tags
                )
                ArticleBodyImage.objects.bulk_create(
                    ArticleBodyImage(article=article, image=image)
                    for article, (_, _, inline) in zip(articles, extras, strict=True)
                    for image in inline
                )
            created += len(articles)
            self.stdout.write(f"  {end} / {count} articles", ending="\r")
            self.stdout.flush()
        if created:
            self.stdout.write("")
        return created

    def _bulk(self, model, rows):
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= self.batch:
                model.objects.bulk_create(batch)
                batch = []
        if batch:
            model.objects.bulk_create(batch)
