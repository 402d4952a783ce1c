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
    specs: list[FeedSpec] = []
    seen: set[str] = set()

    def walk(el: Element, tags: tuple[str, ...]) -> None:
        for child in el.findall("outline"):
            url = (child.get("xmlUrl") or child.get("xmlurl") or "").strip()
            label = (child.get("title") or child.get("text") or "").strip()
            if url:
                if url in seen:
                    continue
                seen.add(url)
                cats = tuple(
                    c.strip().strip("/")
                    for c in (child.get("category") or "").split(",")
                    if c.strip().strip("/")
                )
                specs.append(
                    FeedSpec(
                        url=url,
                        name=label or None,
                        outlet=label or None,
                        language=(child.get("language") or None),
                        tags=tags + cats,
                    )
                )
            walk(child, (*tags, label) if label and not url else tags)

    walk(body_el, ())
    return specs
