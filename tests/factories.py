"""Test data: factory_boy factories with real images drawn by Pillow in memory."""

import io
import struct
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from articles.models import Article, ArticleAuthor, ArticleTag, Correction, Section, Tag
from authors.models import Author, AuthorLink
from media.models import Image, ImageCredit, License


def make_image_file(width=640, height=480, color=(200, 60, 40), fmt="JPEG", name=None):
    """A real image with a shape on it, encoded in ``fmt``, ready to upload."""
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = PILImage.new(mode, (width, height), color)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width * 3 // 4, height * 3 // 4), fill=(20, 40, 160))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    extension = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return SimpleUploadedFile(
        name or f"photo.{extension}", buffer.getvalue(), content_type=f"image/{extension}"
    )


def image_bytes(width=64, height=48, color=(200, 60, 40), fmt="JPEG", mode="RGB", **save):
    """The bytes of a plain image in ``fmt``; ``save`` goes to Pillow (``exif=``, ``xmp=``...)."""
    buffer = io.BytesIO()
    PILImage.new(mode, (width, height), color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


#: IPTC IIM datasets of record 2 by name, as agencies fill them in.
IPTC = {"by-line": 80, "credit": 110, "source": 115, "copyright": 116, "caption": 120}


def iptc_block(**fields):
    """An APP13 segment with a Photoshop IRB holding IPTC IIM datasets, built byte by byte.

    ``fields`` are names of :data:`IPTC` (``by_line`` for "by-line"); a list value repeats the
    dataset. Pillow reads this back with ``IptcImagePlugin.getiptcinfo``.
    """
    iim = b"\x1c\x01\x5a\x00\x03\x1b\x25\x47"  # 1:90 coded character set: UTF-8
    for name, values in fields.items():
        dataset = IPTC[name.replace("_", "-")]
        for value in values if isinstance(values, list) else [values]:
            data = value.encode()
            iim += struct.pack(">BBBH", 0x1C, 2, dataset, len(data)) + data
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim))
    payload = b"Photoshop 3.0\x00" + resource + iim
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def with_segment(jpeg, segment):
    """``jpeg`` with ``segment`` (a whole marker segment) inserted right after its SOI marker."""
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


def xmp_packet(**properties):
    """An XMP packet with IPTC Core properties: ``credit``, ``creator``, ``rights``,
    ``source``, ``web_statement``, ``licensor_url``."""
    simple = {
        "credit": "photoshop:Credit",
        "source": "photoshop:Source",
        "web_statement": "xmpRights:WebStatement",
    }
    attributes = "".join(
        f' {simple[name]}="{value}"' for name, value in properties.items() if name in simple
    )
    elements = ""
    if "creator" in properties:
        elements += (
            f"<dc:creator><rdf:Seq><rdf:li>{properties['creator']}</rdf:li></rdf:Seq></dc:creator>"
        )
    if "rights" in properties:
        elements += (
            '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">'
            f"{properties['rights']}</rdf:li></rdf:Alt></dc:rights>"
        )
    if "licensor_url" in properties:
        elements += (
            "<plus:Licensor><rdf:Seq><rdf:li rdf:parseType='Resource'>"
            f"<plus:LicensorURL>{properties['licensor_url']}</plus:LicensorURL>"
            "</rdf:li></rdf:Seq></plus:Licensor>"
        )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
        ' xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"'
        ' xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"'
        f"{attributes}>{elements}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


class ImageCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImageCredit

    text = "Creative Commons"
    creator = factory.Sequence(lambda n: f"Photographer {n}")
    license = License.CC_BY
    license_url = "https://creativecommons.org/licenses/by/4.0/"
    source_url = factory.Sequence(lambda n: f"https://example.org/photos/{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Photo {n}")
    alt_text = factory.Sequence(lambda n: f"A street scene, photo {n}")
    caption = factory.Sequence(lambda n: f"Default caption {n}")
    credit = factory.SubFactory(ImageCreditFactory)
    file = factory.LazyFunction(make_image_file)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    role = "News Reporter"
    location = "London"
    bio = "Covers city politics and transport."
    active = True


class AuthorLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorLink

    author = factory.SubFactory(AuthorFactory)
    label = "Personal site"
    url = factory.Sequence(lambda n: f"https://writers.example.org/{n}")
    position = factory.Sequence(int)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A public article by default; use ``status=`` and dates to make hidden ones."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Council approves budget, part {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "What the vote means for the city."
    body = "<p>The council met on <strong>Tuesday</strong>.</p><h2>Reaction</h2><p>More.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - timedelta(hours=n + 1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for position, author in enumerate(extracted):
                ArticleAuthor.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            ArticleTag.objects.bulk_create(ArticleTag(article=self, tag=tag) for tag in extracted)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version misstated the size of the budget."
