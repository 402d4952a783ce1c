"""Rendering of every page and feed of the demo site to bytes.

Each outlet has its own article template with different markup, class names and
clutter, because the point of the site is to exercise boilerplate removal and feed
parsing against realistic variety.  Everything here is a pure function of the content
and the base URL, so the same port always yields byte-identical responses.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from demosite.content import Article, Outlet, article_by_key, load_articles, load_outlets

# Site-wide build date, used as Last-Modified for pages that are not tied to an article.
SITE_UPDATED = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "rss2": "application/rss+xml; charset=utf-8",
    "rss2-full": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
    "news-sitemap": "application/xml; charset=utf-8",
    "opml": "text/x-opml; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}

# Autodiscovery MIME types; the news sitemap is not a syndication feed, so it has none.
ALTERNATE_TYPES = {
    "rss2": "application/rss+xml",
    "rss2-full": "application/rss+xml",
    "atom": "application/atom+xml",
    "rdf": "application/rdf+xml",
}

# Reader comments are clutter: a deterministic subset is attached to every article.
COMMENT_POOL: tuple[tuple[str, str], ...] = (
    ("harbourlight_77", "Good to see this covered properly. Nobody else seems to bother."),
    ("Mags P.", "Whatever happened to asking what all this costs ordinary families?"),
    ("quietreader", "The photo says more than the whole article, frankly."),
    ("T_Ostrowski", "I lived there for six years. The mood on the ground is very different."),
    ("northern_gull", "Another week, another summit. Wake me when something changes."),
    ("bluefinch", "Clear, balanced reporting. Subscribed last month and glad I did."),
    ("Dr. Okafor", "The numbers in paragraph four need context: per capita they are modest."),
    ("rainyday_ed", "Can we have a follow-up in six months? These stories always vanish."),
    ("Lena V", "My cousin works in that sector and she is not optimistic, to put it mildly."),
    ("oldcartographer", "Worth looking at a map before drawing conclusions here."),
    ("sam_the_skeptic", "I'll believe it when I see it."),
    ("Priya R.", "Thank you for including the other side's view for once."),
    ("kestrel_watch", "Headline is a bit breathless compared to the actual text."),
    ("J. Moreau", "Interesting, but the comments section will be a warzone by lunch."),
    ("tidewater", "Good luck to everyone affected. Stay safe out there."),
    ("marginalia", "Typo in the caption, by the way. Otherwise excellent."),
)


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    last_modified: datetime


def _h(text: str) -> str:
    return escape(text, quote=False)


def _a(text: str) -> str:
    return escape(text, quote=True)


def _authors_text(authors: tuple[str, ...]) -> str:
    if len(authors) == 1:
        return authors[0]
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def _comments(article: Article) -> list[tuple[str, str, str]]:
    seed = zlib.crc32(article.key.encode())
    count = 3 + seed % 4
    start = seed % len(COMMENT_POOL)
    result = []
    for i in range(count):
        user, text = COMMENT_POOL[(start + i * 5) % len(COMMENT_POOL)]
        minutes = 17 + (seed >> (i + 3)) % 400 + i * 23
        hours, mins = divmod(minutes, 60)
        result.append((user, text, f"{hours}h {mins:02d}m after publication"))
    return result


def _related(article: Article, articles: list[Article]) -> list[Article]:
    # The four next stories of the same outlet (wrapping around): stable and varied.
    same = [a for a in articles if a.outlet == article.outlet]
    i = same.index(article)
    return [same[(i + k) % len(same)] for k in range(1, min(5, len(same)))]


def _display_date(dt: datetime) -> str:
    offset = dt.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    zone = "GMT" if hours == 0 else f"UTC{hours:+d}"
    return f"{dt.day} {dt:%B %Y, %H:%M} {zone}"


def _common_meta(article: Article, outlet: Outlet, base: str, title: str) -> str:
    canonical = base + article.path
    feed_type = ALTERNATE_TYPES.get(outlet.flavour)
    alternate = (
        f'<link rel="alternate" type="{feed_type}" title="{_a(outlet.feed_title)}" '
        f'href="{_a(base + outlet.feed_path)}">'
        if feed_type
        else ""
    )
    authors = _authors_text(article.authors)
    return f"""<meta charset="utf-8">
<title>{_h(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{_a(article.standfirst)}">
<meta name="author" content="{_a(authors)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{_a(outlet.name)}">
<meta property="og:title" content="{_a(article.headline)}">
<meta property="og:url" content="{_a(canonical)}">
<meta property="og:description" content="{_a(article.standfirst)}">
<meta property="og:locale" content="en_{outlet.country}">
<meta property="article:published_time" content="{article.published.isoformat()}">
<meta property="article:section" content="{_a(article.section)}">
<link rel="canonical" href="{_a(canonical)}">
{alternate}"""


def _json_ld(article: Article, outlet: Outlet, base: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "datePublished": article.published.isoformat(),
        "author": [{"@type": "Person", "name": n} for n in article.authors],
        "publisher": {"@type": "Organization", "name": outlet.name},
        "mainEntityOfPage": base + article.path,
        "inLanguage": "en",
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def _paras(article: Article, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "\n".join(f"<p{attr}>{_h(p)}</p>" for p in article.paragraphs)


# --- outlet templates -----------------------------------------------------------------


def _tpl_meridian(article: Article, outlet: Outlet, base: str, related: list[Article]) -> str:
    related_html = "\n".join(
        f'<li><a href="{_a(r.path)}">{_h(r.headline)}</a></li>' for r in related
    )
    comments = "\n".join(
        f'<div class="mh-comment"><p class="mh-comment-user">{_h(u)}</p>'
        f'<p class="mh-comment-time">{_h(t)}</p><p class="mh-comment-text">{_h(c)}</p></div>'
        for u, c, t in _comments(article)
    )
    figure = (
        f'<figure class="mh-figure"><div class="mh-img" role="img" aria-label="Photograph">'
        f"</div><figcaption>{_h(article.caption)} Photograph: Meridian Herald picture desk"
        f"</figcaption></figure>"
        if article.caption
        else ""
    )
    bylines = " and ".join(f'<a rel="author" href="#">{_h(n)}</a>' for n in article.authors)
    credit = f'<p class="mh-credit">{_h(article.credit)}</p>' if article.credit else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{_common_meta(article, outlet, base, f"{article.headline} | The Meridian Herald")}
<style>body{{font-family:Georgia,serif;margin:0}}.mh-main{{max-width:52em;margin:auto}}</style>
</head>
<body class="mh mh-article-page">
<div class="mh-cookie" id="cookie-consent" role="dialog">
<p>We use cookies and similar technologies to improve your experience, measure audiences
and show you relevant advertising. You can change your choices at any time.</p>
<button type="button">Accept all</button> <button type="button">Manage preferences</button>
</div>
<header class="mh-masthead">
<a class="mh-logo" href="/meridian-herald/">The Meridian Herald</a>
<p class="mh-tagline">Independent since 1868</p>
</header>
<nav class="mh-nav" aria-label="Sections"><ul>
<li><a href="/meridian-herald/">Home</a></li><li><a href="/meridian-herald/">World</a></li>
<li><a href="#uk">UK</a></li><li><a href="#business">Business</a></li>
<li><a href="#climate">Climate</a></li><li><a href="#opinion">Opinion</a></li>
<li><a href="#sport">Sport</a></li><li><a href="#culture">Culture</a></li>
</ul></nav>
<main class="mh-main">
<article class="mh-article">
<p class="mh-kicker">{_h(article.section)}</p>
<h1 class="mh-headline">{_h(article.headline)}</h1>
<p class="mh-standfirst">{_h(article.standfirst)}</p>
<div class="mh-meta"><span class="mh-byline">By {bylines}</span>
<time class="mh-date" datetime="{article.published.isoformat()}">\
{_display_date(article.published)}</time></div>
{figure}
<div class="mh-body">
{_paras(article)}
</div>
{credit}
<p class="mh-share">Share this article: <a href="#">Facebook</a> <a href="#">X</a>
<a href="#">Email</a></p>
</article>
<aside class="mh-related"><h2>More on this story</h2><ul>
{related_html}
</ul></aside>
<section class="mh-newsletter"><h2>The Morning Briefing</h2>
<p>Start your day with the stories that matter, delivered to your inbox at 6am.</p>
<form action="#"><input type="email" placeholder="Your email address">
<button type="submit">Sign up</button></form></section>
<section class="mh-comments" id="comments"><h2>Comments ({len(_comments(article))})</h2>
<p class="mh-comments-note">Comments are moderated according to our community standards.</p>
{comments}
</section>
</main>
<footer class="mh-footer"><ul>
<li><a href="#terms">Terms of use</a></li><li><a href="#privacy">Privacy policy</a></li>
<li><a href="#cookies">Cookie policy</a></li><li><a href="#accessibility">Accessibility</a></li>
<li><a href="#contact">Contact us</a></li></ul>
<p>&copy; 2026 The Meridian Herald Ltd. Registered in England and Wales.</p>
</footer>
</body>
</html>
"""


def _tpl_northgate(article: Article, outlet: Outlet, base: str, related: list[Article]) -> str:
    # Mid-article "Read more" box and advertisement slots sit between body paragraphs,
    # the way many US news sites interleave them.
    parts = []
    for i, p in enumerate(article.paragraphs):
        parts.append(f'<p class="story-para">{_h(p)}</p>')
        if i == 2 and related:
            r = related[0]
            parts.append(
                f'<div class="inline-readmore"><span>READ MORE:</span> '
                f'<a href="{_a(r.path)}">{_h(r.headline)}</a></div>'
            )
        if i == 4:
            parts.append('<div class="ad-slot" data-ad="mid-article">Advertisement</div>')
    related_html = "\n".join(
        f'<div class="rail-item"><a href="{_a(r.path)}">{_h(r.headline)}</a></div>'
        for r in related[1:]
    )
    comments = "\n".join(
        f'<div class="ng-comment"><div class="ng-comment-head"><strong class="ng-user">{_h(u)}'
        f'</strong> <span class="ng-when">{_h(t)}</span></div><div class="ng-comment-body">'
        f"{_h(c)}</div></div>"
        for u, c, t in _comments(article)
    )
    caption = (
        f'<div class="story-photo"><div class="photo-frame"></div>'
        f'<div class="photo-caption">{_h(article.caption)} (Northgate Tribune)</div></div>'
        if article.caption
        else ""
    )
    byline = " and ".join(
        f'<span itemprop="author" class="author-name">{_h(n)}</span>' for n in article.authors
    )
    return f"""<!doctype html>
<html lang="en">
<head>
{_common_meta(article, outlet, base, f"{article.headline} - Northgate Tribune")}
{_json_ld(article, outlet, base)}
</head>
<body>
<div id="page">
<div class="gdpr-overlay" id="consent-overlay"><div class="gdpr-box">
<h3>Your privacy choices</h3><p>Northgate Tribune and its partners use cookies for
analytics, personalisation and ads. Select "I agree" to continue.</p>
<a class="btn" href="#">I agree</a> <a class="btn-secondary" href="#">Do not sell my data</a>
</div></div>
<div class="topbar"><div class="brand"><a href="/northgate-tribune/">NORTHGATE TRIBUNE</a></div>
<div class="topnav"><a href="/northgate-tribune/">Latest</a> | <a href="#">National</a> |
<a href="#">World</a> | <a href="#">Security</a> | <a href="#">Markets</a> |
<a href="#">Opinion</a> | <a href="#">Podcasts</a> | <a href="#">Subscribe</a></div></div>
<div class="ad-slot" data-ad="leaderboard">Advertisement</div>
<div class="layout"><div class="col-left">
<div class="story-container" itemscope itemtype="https://schema.org/NewsArticle">
<div class="story-head">
<div class="section-label">{_h(article.section.upper())}</div>
<h1 itemprop="headline">{_h(article.headline)}</h1>
<h2 class="dek">{_h(article.standfirst)}</h2>
<div class="byline-row">By {byline} <span class="sep">|</span>
<span class="pubdate" itemprop="datePublished" content="{article.published.isoformat()}">\
Published {_display_date(article.published)}</span></div>
</div>
{caption}
<div class="story-text" itemprop="articleBody">
{chr(10).join(parts)}
</div>
<div class="story-tags">Filed under: {_h(", ".join(article.tags) or article.section)}</div>
</div>
<div class="conversation" id="conversation"><div class="conv-title">Join the conversation</div>
{comments}
</div>
</div>
<div class="col-right"><div class="rail-box"><div class="rail-title">Trending now</div>
{related_html}
</div>
<div class="newsletter-signup"><div class="ns-title">The Daily Brief</div>
<p>Get our top stories every weekday morning. Free for registered readers.</p>
<input type="email" name="email" placeholder="name@example.com"><button>Subscribe</button>
</div></div></div>
<div class="site-footer"><div class="footer-links"><a href="#">About us</a> &middot;
<a href="#">Terms of Service</a> &middot; <a href="#">Privacy Notice</a> &middot;
<a href="#">Cookie Settings</a> &middot; <a href="#">Corrections</a> &middot;
<a href="#">Contact</a></div>
<div class="copyright">Copyright 2026 Northgate Media Group. All rights reserved.</div></div>
</div>
</body>
</html>
"""


def _tpl_danube(article: Article, outlet: Outlet, base: str, related: list[Article]) -> str:
    # An older CMS using hAtom microformats; byline and date come after the text.
    related_html = "\n".join(
        f'<li><a href="{_a(r.path)}" title="{_a(r.headline)}">{_h(r.headline)}</a></li>'
        for r in related
    )
    comments = "\n".join(
        f'<li class="reader-comment"><cite>{_h(u)}</cite> wrote ({_h(t)}):'
        f"<blockquote><p>{_h(c)}</p></blockquote></li>"
        for u, c, t in _comments(article)
    )
    caption = (
        f'<div class="imgbox"><span class="imgholder"></span><p class="bu">{_h(article.caption)}'
        f" &copy; DD/Archive</p></div>"
        if article.caption
        else ""
    )
    authors = ", ".join(
        f'<span class="author vcard"><span class="fn">{_h(n)}</span></span>'
        for n in article.authors
    )
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
{_common_meta(article, outlet, base, f"Danube Dispatch :: {article.headline}")}
</head>
<body id="dd-article">
<div id="cookiehint">This website uses cookies. By continuing to browse you agree to our use
of cookies. <a href="#">More information</a> <a href="#" class="close">OK</a></div>
<div id="wrapper">
<div id="header"><a href="/danube-dispatch/" id="logo">Danube Dispatch</a>
<span id="claim">English edition &middot; Vienna</span></div>
<div id="menu"><a href="/danube-dispatch/">Front page</a> <a href="#">Austria</a>
<a href="#">Central Europe</a> <a href="#">Balkans</a> <a href="#">EU</a>
<a href="#">Economy</a> <a href="#">Culture</a> <a href="#">Archive</a></div>
<div id="content"><div class="hentry">
<p class="rubric">{_h(article.section)}</p>
<h1 class="entry-title">{_h(article.headline)}</h1>
<p class="lead entry-summary"><strong>{_h(article.standfirst)}</strong></p>
{caption}
<div class="entry-content">
{_paras(article)}
</div>
<p class="articlefoot">{authors} &ndash;
<abbr class="published" title="{article.published.isoformat()}">\
{article.published:%d.%m.%Y %H:%M}</abbr></p>
</div>
<div id="seealso"><h4>See also</h4><ul>
{related_html}
</ul></div>
<div id="forum"><h4>Reader forum</h4><ol>
{comments}
</ol><p class="rules">Please respect our forum rules. Postings do not reflect the opinion of
the editorial team.</p></div>
</div>
<div id="sidebar"><div class="box"><h4>Newsletter</h4><p>The Danube Dispatch weekly digest:
every Friday, the week in Central Europe.</p><form action="#"><input type="text" name="mail"/>
<input type="submit" value="Order"/></form></div></div>
<div id="footer"><a href="#">Imprint</a> | <a href="#">Data protection</a> |
<a href="#">Terms and conditions</a> | <a href="#">Advertising</a> | <a href="#">Contact</a>
<br/>&copy; Danube Dispatch Verlagsgesellschaft m.b.H., Vienna</div>
</div>
</body>
</html>
"""


def _tpl_pacific(article: Article, outlet: Outlet, base: str, related: list[Article]) -> str:
    # Component-based markup: every paragraph is its own block, no <article> element.
    blocks = "\n".join(
        f'<div data-component="text-block" class="pc-text"><p>{_h(p)}</p></div>'
        for p in article.paragraphs
    )
    related_html = "\n".join(
        f'<a class="pc-card" data-component="card" href="{_a(r.path)}">'
        f'<span class="pc-card-title">{_h(r.headline)}</span></a>'
        for r in related
    )
    comments = "\n".join(
        f'<div class="pc-comment" data-user="{_a(u)}"><span class="pc-comment-author">{_h(u)}'
        f'</span><span class="pc-comment-age">{_h(t)}</span><p>{_h(c)}</p></div>'
        for u, c, t in _comments(article)
    )
    media = (
        f'<div data-component="image-block"><div class="pc-image"></div>'
        f'<p class="pc-caption">IMAGE: {_h(article.caption)}</p></div>'
        if article.caption
        else ""
    )
    authors = "".join(
        f'<div class="pc-author" data-component="byline-name">{_h(n)}</div>'
        for n in article.authors
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{_common_meta(article, outlet, base, f"{article.headline} - Pacific Courier")}
{_json_ld(article, outlet, base)}
</head>
<body>
<div class="pc-consent" role="region" aria-label="Cookie banner">
<span>We and our partners use cookies. Tap "OK" to accept or visit settings.</span>
<button>OK</button><button>Settings</button></div>
<div class="pc-shell">
<div class="pc-header"><a href="/pacific-courier/" class="pc-brand">Pacific Courier</a>
<ul class="pc-menu"><li><a href="/pacific-courier/">Just in</a></li>
<li><a href="#">Australia</a></li><li><a href="#">Pacific</a></li><li><a href="#">World</a></li>
<li><a href="#">Business</a></li>
<li><a href="#">Climate</a></li><li><a href="#">Sport</a></li><li><a href="#">Log in</a></li></ul>
</div>
<div role="main" class="pc-main">
<div data-component="headline-block"><h1 class="pc-h1">{_h(article.headline)}</h1></div>
<div data-component="byline-block" class="pc-byline">{authors}
<time datetime="{article.published.isoformat()}">{_display_date(article.published)}</time></div>
<div data-component="text-block" class="pc-intro"><p><b>{_h(article.standfirst)}</b></p></div>
{media}
{blocks}
<div data-component="share-tools" class="pc-share">Share: Facebook, X, WhatsApp, Copy link</div>
<div data-component="related" class="pc-related"><h2>Related stories</h2>
{related_html}
</div>
<div data-component="newsletter" class="pc-newsletter"><h2>Get the Courier Briefing</h2>
<p>Our editors' pick of the day's news, every evening at 6pm AEDT.</p>
<button>Sign me up</button></div>
<div data-component="comments" class="pc-comments"><h2>Reader comments</h2>
{comments}
</div>
</div>
<div class="pc-footer"><nav><a href="#">About</a> <a href="#">Editorial standards</a>
<a href="#">Privacy</a> <a href="#">Terms of use</a> <a href="#">Cookie settings</a>
<a href="#">Contact</a></nav>
<small>&copy; Pacific Courier Pty Ltd 2026. ABN 00 000 000 000.</small></div>
</div>
</body>
</html>
"""


def _tpl_continental(article: Article, outlet: Outlet, base: str, related: list[Article]) -> str:
    # WordPress-style markup, with a Jetpack-like related-posts block and threaded comments.
    related_html = "\n".join(
        f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title">'
        f'<a href="{_a(r.path)}">{_h(r.headline)}</a></h4></div>'
        for r in related[:3]
    )
    comments = "\n".join(
        f'<li class="comment even depth-1" id="comment-{i + 101}"><article class="comment-body">'
        f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{_h(u)}'
        f'</b> <span class="says">says:</span></div><div class="comment-metadata">{_h(t)}</div>'
        f'</footer><div class="comment-content"><p>{_h(c)}</p></div></article></li>'
        for i, (u, c, t) in enumerate(_comments(article))
    )
    caption = (
        f'<figure class="wp-block-image"><span class="img-placeholder"></span>'
        f'<figcaption class="wp-element-caption">{_h(article.caption)}</figcaption></figure>'
        if article.caption
        else ""
    )
    credit = f'<p class="wire-credit"><em>{_h(article.credit)}</em></p>' if article.credit else ""
    authors = ", ".join(
        f'<span class="author vcard"><a class="url fn n" href="#">{_h(n)}</a></span>'
        for n in article.authors
    )
    title = f"{article.headline} \u2013 The Continental Observer"
    return f"""<!DOCTYPE html>
<html lang="en" class="no-js">
<head>
{_common_meta(article, outlet, base, title)}
<meta name="generator" content="PressKit 6.2">
</head>
<body class="post-template-default single single-post postid-{article.numeric_id}">
<div id="cookie-law-info-bar" class="cli-bar">This website uses cookies to improve your
experience. <a role="button" class="cli_action_button">ACCEPT</a>
<a role="button" class="cli_settings_button">Cookie settings</a></div>
<div id="page" class="site">
<header id="masthead" class="site-header"><p class="site-title">
<a href="/continental-observer/" rel="home">The Continental Observer</a></p>
<p class="site-description">Europe, explained from Brussels</p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li class="menu-item"><a href="/continental-observer/">News</a></li>
<li class="menu-item"><a href="#">EU Institutions</a></li>
<li class="menu-item"><a href="#">Security &amp; Defence</a></li>
<li class="menu-item"><a href="#">Economy</a></li><li class="menu-item"><a href="#">Podcast</a></li>
<li class="menu-item"><a href="#">Support us</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
<article id="post-{article.numeric_id}" class="post type-post status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{_h(article.headline)}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" \
datetime="{article.published.isoformat()}">{article.published:%B} {article.published.day}, \
{article.published:%Y}</time></span> <span class="byline">by {authors}</span></div></header>
<div class="entry-content">
<p class="has-large-font-size"><strong>{_h(article.standfirst)}</strong></p>
{caption}
{_paras(article)}
{credit}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>
<ul><li>Twitter</li><li>Facebook</li><li>LinkedIn</li><li>Email</li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline">
<em>Related</em></h3>
{related_html}
</div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in
<a href="#" rel="category tag">{_h(article.section)}</a></span></footer>
</article>
<div id="comments" class="comments-area"><h2 class="comments-title">Responses to &ldquo;\
{_h(article.headline)}&rdquo;</h2><ol class="comment-list">
{comments}
</ol><div id="respond" class="comment-respond"><h3>Leave a Reply</h3>
<p>Your email address will not be published.</p></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_newsletter">
<h2 class="widget-title">Brussels Briefing</h2><p>Our free newsletter on EU affairs, every
Tuesday and Friday.</p><input type="email" placeholder="Email"><button>Subscribe</button>
</section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">
<a href="#">Legal notice</a> | <a href="#">Privacy policy</a> | <a href="#">Cookie policy</a> |
<a href="#">Terms of use</a> | <a href="#">Contact</a><br>
&copy; 2026 The Continental Observer ASBL, Brussels</div></footer>
</div>
</body>
</html>
"""


TEMPLATES: dict[str, Callable[[Article, Outlet, str, list[Article]], str]] = {
    "meridian": _tpl_meridian,
    "northgate": _tpl_northgate,
    "danube": _tpl_danube,
    "pacific": _tpl_pacific,
    "continental": _tpl_continental,
}


def render_article(article: Article, base: str) -> str:
    outlet = {o.slug: o for o in load_outlets()}[article.outlet]
    related = _related(article, list(load_articles()))
    return TEMPLATES[outlet.template](article, outlet, base, related)


# --- feeds ----------------------------------------------------------------------------


def feed_items(outlet: Outlet) -> list[Article]:
    """Articles listed in an outlet's feed, newest first (partner items included)."""
    own = [a for a in load_articles() if a.outlet == outlet.slug]
    by_key = article_by_key()
    items = own + [by_key[k] for k in outlet.partner_items]
    return sorted(items, key=lambda a: (a.published, a.key), reverse=True)


def feed_link(article: Article, base: str) -> str:
    """The link as a feed publishes it: tracking parameters included where set."""
    url = base + article.path
    return f"{url}?{article.feed_query}" if article.feed_query else url


def _x(text: str) -> str:
    return xml_escape(text)


def _rss2(outlet: Outlet, items: list[Article], base: str, full: bool) -> str:
    updated = max(a.published for a in items)
    ns = (
        ' xmlns:atom="http://www.w3.org/2005/Atom"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        if full
        else ' xmlns:atom="http://www.w3.org/2005/Atom"'
    )
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<rss version="2.0"{ns}>',
        "<channel>",
        f"<title>{_x(outlet.feed_title)}</title>",
        f"<link>{_x(base + outlet.section_path)}</link>",
        f"<description>{_x(outlet.description)}</description>",
        f"<language>en-{outlet.country.lower()}</language>",
        f"<lastBuildDate>{format_datetime(updated)}</lastBuildDate>",
        f'<atom:link href={quoteattr(base + outlet.feed_path)} rel="self" '
        'type="application/rss+xml"/>',
        "<ttl>15</ttl>",
    ]
    for a in items:
        out.append("<item>")
        out.append(f"<title>{_x(a.headline)}</title>")
        out.append(f"<link>{_x(feed_link(a, base))}</link>")
        if full:
            out.append(f'<guid isPermaLink="false">{_x(a.outlet)}-{a.numeric_id}</guid>')
            out.extend(f"<dc:creator>{_x(n)}</dc:creator>" for n in a.authors)
        else:
            out.append(f'<guid isPermaLink="true">{_x(base + a.path)}</guid>')
            out.append(f"<author>newsdesk@example.org ({_x(_authors_text(a.authors))})</author>")
        out.append(f"<pubDate>{format_datetime(a.published)}</pubDate>")
        out.append(f"<description>{_x(a.standfirst)}</description>")
        out.extend(f"<category>{_x(t)}</category>" for t in (a.section, *a.tags))
        if full:
            html = "".join(f"<p>{_h(p)}</p>" for p in a.paragraphs)
            out.append(f"<content:encoded><![CDATA[{html}]]></content:encoded>")
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def _atom(outlet: Outlet, items: list[Article], base: str) -> str:
    updated = max(a.published for a in items)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"<id>tag:{outlet.slug}.example,2026:feed</id>",
        f"<title>{_x(outlet.feed_title)}</title>",
        f"<subtitle>{_x(outlet.description)}</subtitle>",
        f"<updated>{updated.isoformat()}</updated>",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(base + outlet.feed_path)}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(base + outlet.section_path)}/>',
        f"<author><name>{_x(outlet.name)}</name></author>",
        f"<rights>Copyright 2026 {_x(outlet.name)}</rights>",
    ]
    for a in items:
        out.append("<entry>")
        out.append(f"<id>tag:{a.outlet}.example,2026:{a.numeric_id}</id>")
        out.append(f'<title type="text">{_x(a.headline)}</title>')
        out.append(f'<link rel="alternate" type="text/html" href={quoteattr(feed_link(a, base))}/>')
        out.append(f"<published>{a.published.isoformat()}</published>")
        out.append(f"<updated>{a.published.isoformat()}</updated>")
        out.extend(f"<author><name>{_x(n)}</name></author>" for n in a.authors)
        out.extend(f"<category term={quoteattr(t)}/>" for t in (a.section, *a.tags))
        out.append(f'<summary type="text">{_x(a.standfirst)}</summary>')
        out.append("</entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


def _rdf(outlet: Outlet, items: list[Article], base: str) -> str:
    updated = max(a.published for a in items)
    links = [feed_link(a, base) for a in items]
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f"<channel rdf:about={quoteattr(base + outlet.feed_path)}>",
        f"<title>{_x(outlet.feed_title)}</title>",
        f"<link>{_x(base + outlet.section_path)}</link>",
        f"<description>{_x(outlet.description)}</description>",
        "<dc:language>en</dc:language>",
        f"<dc:date>{updated.isoformat()}</dc:date>",
        "<items><rdf:Seq>",
        *(f"<rdf:li rdf:resource={quoteattr(link)}/>" for link in links),
        "</rdf:Seq></items>",
        "</channel>",
    ]
    for a, link in zip(items, links, strict=True):
        out.append(f"<item rdf:about={quoteattr(link)}>")
        out.append(f"<title>{_x(a.headline)}</title>")
        out.append(f"<link>{_x(link)}</link>")
        out.append(f"<description>{_x(a.standfirst)}</description>")
        out.append(f"<dc:date>{a.published.isoformat()}</dc:date>")
        out.extend(f"<dc:creator>{_x(n)}</dc:creator>" for n in a.authors)
        out.append(f"<dc:subject>{_x(a.section)}</dc:subject>")
        out.append("</item>")
    out += ["</rdf:RDF>", ""]
    return "\n".join(out)


def _news_sitemap(outlet: Outlet, items: list[Article], base: str) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
    ]
    for a in items:
        out += [
            "<url>",
            f"<loc>{_x(feed_link(a, base))}</loc>",
            "<news:news>",
            "<news:publication>",
            f"<news:name>{_x(outlet.name)}</news:name>",
            f"<news:language>{outlet.language}</news:language>",
            "</news:publication>",
            f"<news:publication_date>{a.published.isoformat()}</news:publication_date>",
            f"<news:title>{_x(a.headline)}</news:title>",
            "</news:news>",
            "</url>",
        ]
    out += ["</urlset>", ""]
    return "\n".join(out)


def render_feed(outlet: Outlet, base: str) -> str:
    items = feed_items(outlet)
    if outlet.flavour == "rss2":
        return _rss2(outlet, items, base, full=False)
    if outlet.flavour == "rss2-full":
        return _rss2(outlet, items, base, full=True)
    if outlet.flavour == "atom":
        return _atom(outlet, items, base)
    if outlet.flavour == "rdf":
        return _rdf(outlet, items, base)
    if outlet.flavour == "news-sitemap":
        return _news_sitemap(outlet, items, base)
    raise ValueError(f"unknown feed flavour {outlet.flavour!r}")


# --- site-wide pages ------------------------------------------------------------------


def _autodiscovery(outlets: list[Outlet], base: str) -> str:
    lines = []
    for o in outlets:
        if o.flavour in ALTERNATE_TYPES:
            lines.append(
                f'<link rel="alternate" type="{ALTERNATE_TYPES[o.flavour]}" '
                f'title="{_a(o.feed_title)}" href="{_a(base + o.feed_path)}">'
            )
        else:
            lines.append(
                f'<link rel="sitemap" type="application/xml" title="{_a(o.feed_title)}" '
                f'href="{_a(base + o.feed_path)}">'
            )
    return "\n".join(lines)


def render_index(base: str) -> str:
    outlets = list(load_outlets())
    rows = "\n".join(
        f'<li><a href="{_a(o.section_path)}">{_h(o.name)}</a> ({o.country}) &ndash; '
        f'<a href="{_a(o.feed_path)}">{_h(o.flavour)} feed</a></li>'
        for o in outlets
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mediamon demo news site</title>
<link rel="canonical" href="{_a(base + "/")}">
{_autodiscovery(outlets, base)}
<link rel="outline" type="text/x-opml" title="All feeds" href="{_a(base + "/feeds.opml")}">
</head>
<body>
<h1>mediamon demo news site</h1>
<p>Five fictional outlets with fictional news, served locally for demos and tests.</p>
<ul>
{rows}
</ul>
<p><a href="/feeds.opml">All feeds (OPML)</a></p>
</body>
</html>
"""


def render_section(outlet: Outlet, base: str) -> str:
    own = [a for a in load_articles() if a.outlet == outlet.slug]
    own.sort(key=lambda a: a.published, reverse=True)
    rows = "\n".join(
        f'<li class="teaser"><a href="{_a(a.path)}">{_h(a.headline)}</a>'
        f'<p>{_h(a.standfirst)}</p><time datetime="{a.published.isoformat()}">'
        f"{_display_date(a.published)}</time></li>"
        for a in own
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{_h(outlet.name)}</title>
<meta name="description" content="{_a(outlet.description)}">
<link rel="canonical" href="{_a(base + outlet.section_path)}">
{_autodiscovery([outlet], base)}
</head>
<body class="section-page section-{outlet.slug}">
<h1>{_h(outlet.name)}</h1>
<p>{_h(outlet.description)}</p>
<ul class="teasers">
{rows}
</ul>
<p><a href="/">All outlets</a></p>
</body>
</html>
"""


def render_opml(base: str) -> str:
    outlines = []
    for o in load_outlets():
        version = {"rss2": "RSS2", "rss2-full": "RSS2", "rdf": "RSS1"}.get(o.flavour)
        version_attr = f' version="{version}"' if version else ""
        category = ",".join(f"/{t}" for t in o.tags)
        outlines.append(
            f'<outline type="rss" text={quoteattr(o.name)} title={quoteattr(o.feed_title)}'
            f" xmlUrl={quoteattr(base + o.feed_path)} htmlUrl={quoteattr(base + o.section_path)}"
            f' language="{o.language}" category={quoteattr(category)}'
            f' country="{o.country}" flavour="{o.flavour}"{version_attr}/>'
        )
    created = format_datetime(SITE_UPDATED, usegmt=True)
    return "\n".join(
        [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<opml version="2.0">',
            "<head>",
            "<title>mediamon demo news site feeds</title>",
            f"<dateCreated>{created}</dateCreated>",
            f"<dateModified>{created}</dateModified>",
            "<ownerName>mediamon</ownerName>",
            "</head>",
            "<body>",
            '<outline text="Demo outlets" title="Demo outlets">',
            *outlines,
            "</outline>",
            "</body>",
            "</opml>",
            "",
        ]
    )


def render_robots(base: str) -> str:
    sitemaps = "".join(
        f"Sitemap: {base}{o.feed_path}\n" for o in load_outlets() if o.flavour == "news-sitemap"
    )
    return f"User-agent: *\nAllow: /\n\n{sitemaps}"


def build_site(base: str) -> dict[str, Resource]:
    """Render every resource of the site for one base URL, keyed by request path."""
    site: dict[str, Resource] = {}
    articles = list(load_articles())
    for a in articles:
        site[a.path] = Resource(
            render_article(a, base).encode("utf-8"), CONTENT_TYPES["html"], a.published
        )
    for o in load_outlets():
        items = feed_items(o)
        newest = max(a.published for a in items)
        site[o.feed_path] = Resource(
            render_feed(o, base).encode("utf-8"), CONTENT_TYPES[o.flavour], newest
        )
        site[o.section_path] = Resource(
            render_section(o, base).encode("utf-8"), CONTENT_TYPES["html"], newest
        )
    site["/"] = Resource(render_index(base).encode("utf-8"), CONTENT_TYPES["html"], SITE_UPDATED)
    site["/feeds.opml"] = Resource(
        render_opml(base).encode("utf-8"), CONTENT_TYPES["opml"], SITE_UPDATED
    )
    site["/robots.txt"] = Resource(
        render_robots(base).encode("utf-8"), CONTENT_TYPES["text"], SITE_UPDATED
    )
    return site
