"""What an upload tells us beyond its size: a placeholder, a dominant colour, and its credit.

Pure functions on what :func:`media.validators.read_image_info` read from the file (its small
upright sample and its raw IPTC/XMP); nothing here touches the database or storage.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass

import blurhash
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from PIL import Image as PILImage

#: The longest edge the placeholder is computed from; blurhash needs no more.
PLACEHOLDER_EDGE = 32
#: The largest XMP packet we parse (one JPEG segment holds at most 64 KB).
MAX_XMP_BYTES = 256 * 1024


def placeholder(sample: PILImage.Image) -> str:
    """A blurhash of the sample: 4×3 components for a landscape photo, 3×4 for a portrait."""
    small = sample.copy()
    small.thumbnail((PLACEHOLDER_EDGE, PLACEHOLDER_EDGE), PILImage.Resampling.BOX)
    width, height = small.size
    data = small.convert("RGB").tobytes()
    rows = [
        [data[offset : offset + 3] for offset in range(row * width * 3, (row + 1) * width * 3, 3)]
        for row in range(height)
    ]
    x_components, y_components = (4, 3) if width >= height else (3, 4)
    return blurhash.encode(rows, x_components, y_components)


def dominant_color(sample: PILImage.Image) -> str:
    """The most common colour of the sample, as ``#rrggbb``.

    The sample is reduced to a few representative colours (median cut) and the one covering the
    most pixels wins, so a red coat on grey streets gives grey, not a muddy average.
    """
    quantized = sample.convert("RGB").quantize(colors=6, method=PILImage.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    _count, index = max(quantized.getcolors() or [(1, 0)])
    red, green, blue = palette[index * 3 : index * 3 + 3] or (0, 0, 0)
    return f"#{red:02x}{green:02x}{blue:02x}"


@dataclass(frozen=True)
class EmbeddedCredit:
    """The credit a photo carries in its IPTC or XMP metadata, as agencies write it."""

    credit_line: str = ""
    creator: str = ""
    copyright_notice: str = ""
    source: str = ""
    license_url: str = ""
    licensor_url: str = ""

    def __bool__(self):
        return any(asdict(self).values())

    @property
    def text(self) -> str:
        """The credit line to print: the one given, else the source, else the creator."""
        return self.credit_line or self.source or self.creator


#: IPTC IIM datasets (record 2) for each field.
IPTC_DATASETS = {
    "credit_line": (2, 110),
    "creator": (2, 80),
    "copyright_notice": (2, 116),
    "source": (2, 115),
}

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
}

#: XMP properties for each field, the first one present wins.
XMP_PROPERTIES = {
    "credit_line": ["photoshop:Credit"],
    "creator": ["dc:creator"],
    "copyright_notice": ["dc:rights"],
    "source": ["photoshop:Source"],
    "license_url": ["xmpRights:WebStatement"],
    "licensor_url": ["plus:LicensorURL"],
}


#: The :class:`~media.models.ImageCredit` field each value is stored in (see
#: ``media.services.credit_for``); the source goes to ``source_url`` too when it is a URL.
CREDIT_FIELDS = {
    "credit_line": "text",
    "creator": "creator",
    "copyright_notice": "copyright_notice",
    "source": "text",
    "license_url": "license_url",
    "licensor_url": "acquire_license_page",
}
#: Values that are only kept when they are http(s) URLs.
URL_VALUES = ("license_url", "licensor_url")

_is_web_url = URLValidator(schemes=["http", "https"])


def embedded_credit(metadata: dict) -> EmbeddedCredit:
    """Read the credit from raw metadata (``iptc`` as Pillow parses it, ``xmp`` bytes).

    XMP wins over IPTC field by field: it is the newer standard and tools that write both keep
    XMP current. Values are made to fit the credit's fields (see :func:`_fit`).
    """
    values = dict.fromkeys(asdict(EmbeddedCredit()), "")
    iptc = metadata.get("iptc") or {}
    for name, dataset in IPTC_DATASETS.items():
        values[name] = _iptc_text(iptc.get(dataset))
    xmp = _parse_xmp(metadata.get("xmp"))
    if xmp is not None:
        for name, properties in XMP_PROPERTIES.items():
            for prop in properties:
                found = _xmp_value(xmp, prop)
                if found:
                    values[name] = found
                    break
    return EmbeddedCredit(**{name: _fit(name, value) for name, value in values.items()})


def _fit(name: str, value: str) -> str:
    """``value`` with its whitespace collapsed, made to fit the field it is stored in.

    Text is cut to the field's ``max_length``. A URL is kept whole or not at all (a cut URL
    points elsewhere): the licence URLs are dropped unless they are http(s) URLs that fit, and a
    source that is a URL (stored as the source URL as well) is dropped when it does not fit there.
    """
    from .models import ImageCredit  # here: the models module imports this one

    def max_length(field):
        return ImageCredit._meta.get_field(field).max_length

    value = " ".join(value.split())
    if name in URL_VALUES:
        if len(value) > max_length(CREDIT_FIELDS[name]) or not _web_url(value):
            return ""
        return value
    is_url = value.startswith(("http://", "https://"))
    if name == "source" and is_url and len(value) > max_length("source_url"):
        return ""
    return value[: max_length(CREDIT_FIELDS[name])]


def _web_url(value: str) -> bool:
    try:
        _is_web_url(value)
    except ValidationError:
        return False
    return True


def _iptc_text(value) -> str:
    if isinstance(value, list):  # repeatable datasets (several by-lines): join them
        return ", ".join(filter(None, (_iptc_text(item) for item in value)))
    if not isinstance(value, bytes):
        return ""
    try:
        return value.decode("utf-8").strip()
    except UnicodeDecodeError:
        return value.decode("latin-1").strip()


def _parse_xmp(packet):
    """The XMP packet as an element tree, or ``None``.

    defusedxml is not installed, so the packet is screened instead: real XMP has no DTD, and
    refusing any ``<!DOCTYPE`` or ``<!ENTITY`` rules out entity-expansion bombs and external
    entities before the standard parser sees it.
    """
    if not packet or len(packet) > MAX_XMP_BYTES:
        return None
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", packet, re.IGNORECASE):
        return None
    for start_tag, end_tag in ((b"<x:xmpmeta", b"</x:xmpmeta>"), (b"<rdf:RDF", b"</rdf:RDF>")):
        start, end = packet.find(start_tag), packet.rfind(end_tag)
        if 0 <= start < end:
            break
    else:
        return None
    try:
        return ET.fromstring(packet[start : end + len(end_tag)])  # noqa: S314 - screened above
    except ET.ParseError:
        return None


def _xmp_value(root, prop: str) -> str:
    """A property's text, from an attribute or an element; the first item of a list."""
    prefix, name = prop.split(":")
    qualified = f"{{{NS[prefix]}}}{name}"
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        if qualified in description.attrib:
            return description.attrib[qualified].strip()
        element = description.find(f".//{qualified}")
        if element is None:
            continue
        resource = element.get(f"{{{NS['rdf']}}}resource")
        if resource:
            return resource.strip()
        items = [
            (item.text or "").strip()
            for item in element.iter(f"{{{NS['rdf']}}}li")
            if (item.text or "").strip()
        ]
        if items:
            return ", ".join(items) if prop == "dc:creator" else items[0]
        if element.text and element.text.strip():
            return element.text.strip()
    return ""


#: Creative Commons URLs and the licence each one means.
CC_LICENSES = [
    (r"creativecommons\.org/publicdomain/zero/", "cc0"),
    (r"creativecommons\.org/publicdomain/mark/", "public-domain"),
    (r"creativecommons\.org/licenses/by-nc", "cc-by-nc"),
    (r"creativecommons\.org/licenses/by-sa/", "cc-by-sa"),
    (r"creativecommons\.org/licenses/by-nd/", "cc-by-nd"),
    (r"creativecommons\.org/licenses/by/", "cc-by"),
]


def license_for(credit: EmbeddedCredit) -> str:
    """The licence a credit's URL states; "all rights reserved" when it states none.

    An agency photo's copyright notice grants nothing by itself; the editor who has a licence
    for it changes this to "Licensed".
    """
    for pattern, license in CC_LICENSES:
        if re.search(pattern, credit.license_url, re.IGNORECASE):
            return license
    return "all-rights-reserved"
