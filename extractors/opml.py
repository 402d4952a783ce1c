"""Read OPML subscription lists (the feed readers' exchange format) into FeedSpecs."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from lxml import etree

from extractors.records import FeedSpec


def _lenient_parse(body: bytes) -> Element | None:
    """Hand-edited OPML in the wild carries bare "&", unescaped quotes and HTML in attributes.
    lxml's recovering parser keeps what it can; entities are never resolved and nothing is
    fetched, so hostile documents stay harmless."""
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    # Convert to a stdlib Element tree so both paths are walked the same way.
    return fromstring(etree.tostring(root))


class OpmlError(ValueError):
    """The document is not usable OPML."""


def parse_opml(body: bytes) -> list[FeedSpec]:
    """Every outline with an xmlUrl becomes a FeedSpec; enclosing outlines become tags."""
    try:
        root = fromstring(body)
    except DefusedXmlException as exc:  # a ValueError too: it must be caught first
        raise OpmlError(f"refused OPML: {type(exc).__name__}: {exc}") from exc
    except (ParseError, ValueError) as exc:
        try:
            root = _lenient_parse(body)
        except Exception:  # lxml's recovering parser can still give up on binary junk
            root = None
        if root is None:
            raise OpmlError(f"not valid OPML: {type(exc).__name__}: {exc}") from exc
    if root.tag.lower() != "opml":
        raise OpmlError(f"not OPML: root element is <{root.tag}>")
    body_el = root.find("body")
    if body_el is None:
        raise OpmlError("OPML has no <body>")
    return _feeds_of(body_el)


# Folders nest in real lists one or two deep; a hostile list may nest 50,000 deep. Only the
# outermost folder names become tags, so a feed's tags stay small whatever the depth.
MAX_FOLDER_TAGS = 8


def _feed_spec(outline: Element, tags: tuple[str, ...], label: str, url: str) -> FeedSpec:
    cats = tuple(
        c.strip().strip("/") for c in (outline.get("category") or "").split(",")
        if c.strip().strip("/")
    )  # fmt: skip
    return FeedSpec(
        url=url,
        name=label or None,
        outlet=label or None,
        language=(outline.get("language") or None),
        tags=tags + cats,
    )


def _feeds_of(body_el: Element) -> list[FeedSpec]:
    """Every outline with an xmlUrl, in document order, walked with an explicit stack (no
    recursion, so any nesting depth is fine); enclosing folders' labels become tags."""
    specs: list[FeedSpec] = []
    seen: set[str] = set()
    # (outline, tags from its enclosing folders); children are pushed reversed so they pop
    # in document order, each before its own descendants.
    stack = [(child, ()) for child in reversed(body_el.findall("outline"))]
    while stack:
        outline, tags = stack.pop()
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        label = (outline.get("title") or outline.get("text") or "").strip()
        if url and url not in seen:
            seen.add(url)
            specs.append(_feed_spec(outline, tags, label, url))
        if label and not url and len(tags) < MAX_FOLDER_TAGS:
            tags = (*tags, label)
        stack.extend((child, tags) for child in reversed(outline.findall("outline")))
    return specs
