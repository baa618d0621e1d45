"""Template helpers used across the portal: ROC dates, masking, NT$ amounts, hours."""

import datetime

from django import template
from django.core.signals import setting_changed
from django.utils.translation import get_language, gettext, gettext_noop

from core import roc
from core.numbers import hours_text, ntd_text
from core.validators import mask_identity_number

register = template.Library()


@register.filter
def roc_date(value, style="dot"):
    """``{{ d|roc_date }}`` → 108.06.02; ``{{ d|roc_date:"long" }}`` → 108年06月02日."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    try:
        return roc.to_roc(value, style)
    except ValueError:
        return value.isoformat()


@register.filter
def masked_id(value):
    return mask_identity_number(value) if value else ""


@register.filter
def ntd(value):
    """NT$ with thousands separators, no decimals: 1234567 → NT$1,234,567."""
    return ntd_text(value)


@register.filter
def hours(value, style=""):
    """``{{ h|hours }}`` → 64.50 (two decimals on every database); ``{{ h|hours:"g" }}`` → 1,234.50."""
    return hours_text(value, grouped=style == "g")


@register.simple_tag
def html_lang():
    """BCP 47 tag for <html lang>: Django's zh-hant is written zh-Hant."""
    lang = get_language() or "zh-hant"
    return "zh-Hant" if lang.lower() == "zh-hant" else lang


@register.filter
def code39(value):
    """A Code 39 barcode as inline SVG (ECPay's store-payment barcodes); the text alone when it
    holds a character Code 39 cannot carry."""
    from core.barcodes import code39_svg

    try:
        return code39_svg(str(value or ""))
    except ValueError:
        return value


@register.filter
def needs_required_legend(form) -> bool:
    """A form with a visible required field explains the required mark above its fields."""
    return any(getattr(bf, "shows_required_mark", False) for bf in form)


@register.simple_tag(takes_context=True)
def error_summary_items(context):
    """What the error summary lists: every error of every form in the page, each linked to its field."""
    from django.utils.translation import gettext

    from core.forms import forms_with_errors

    items = []
    for form in forms_with_errors(context):
        if not hasattr(form, "non_field_errors"):  # a formset's own errors
            items.extend({"href": "", "text": str(e)} for e in form.non_form_errors())
            continue
        items.extend({"href": "", "text": str(e)} for e in form.non_field_errors())
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                continue
            bf = form[name]
            target = bf.id_for_label or (f"{bf.auto_id}_0" if bf.auto_id else "")
            for error in errors:
                text = (
                    gettext("%(label)s：%(message)s") % {"label": bf.label, "message": error}
                    if bf.label
                    else error
                )
                items.append({"href": f"#{target}" if target else "", "text": str(text)})
    return items


def _nav_mark(path, url, exact=False) -> str:
    """What nav_current says of ``url`` on the page at ``path``: "page", "true" or ""."""
    if path is None or not url:
        return ""
    here = path == url if exact else (path == url or (url != "/" and path.startswith(url)))
    return ("page" if exact or path == url else "true") if here else ""


@register.simple_tag(takes_context=True)
def nav_current(context, url, exact=False):
    """`` aria-current="page"`` on the navigation link of the section (or, with exact, the page) shown."""
    from django.utils.html import format_html

    request = context.get("request")
    asked = context.get(_KEEP_RECORDER)
    if asked is not None:  # inside {% keep %}: the fragment depends on this link's mark
        asked.append((url, exact))
    mark = _nav_mark(request.path if request else None, url, exact)
    return format_html(' aria-current="{}"', mark) if mark else ""


# --- {% keep %}: the page chrome rendered once per language and navigation state ----------------

_KEEP_RECORDER = "_keep_nav_asked"
_KEEP_LIMIT = 500
_kept: dict[tuple, str] = {}  # (name, language, marks) → the fragment's markup
_kept_asks: dict[tuple, tuple] = {}  # (name, language) → the nav_current questions its markup depends on


def forget_kept(**kwargs) -> None:
    """Drop the kept fragments (a setting changed: tests; never in a running site)."""
    _kept.clear()
    _kept_asks.clear()


setting_changed.connect(forget_kept)


class KeepNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        request = getattr(context, "request", None)
        if request is None:  # no RequestContext: the context processors (CITY_NAME…) did not run
            return self.nodelist.render(context)
        path = request.path
        language = get_language()
        asks = _kept_asks.get((self.name, language))
        if asks is not None:
            found = _kept.get((self.name, language, tuple(_nav_mark(path, u, e) for u, e in asks)))
            if found is not None:
                return found
        asked = []
        with context.push({_KEEP_RECORDER: asked}):
            markup = self.nodelist.render(context)
        if len(_kept) >= _KEEP_LIMIT:
            forget_kept()
        asks = tuple(asked)
        _kept_asks[(self.name, language)] = asks
        _kept[(self.name, language, tuple(_nav_mark(path, u, e) for u, e in asks))] = markup
        return markup


@register.tag
def keep(parser, token):
    """``{% keep "name" %}…{% endkeep %}``: the enclosed markup is rendered once per language and per
    state of the ``{% nav_current %}`` links inside it, and kept for the web process's life. Only
    for what every reader of a language sees alike — translated text, ``{% url %}`` and ``{% static %}``
    without arguments from the request, settings such as CITY_NAME, ``{% nav_current %}`` — never a
    user's, a request's or a page's own data (names, query strings, CSRF tokens, messages, blocks a
    child template fills). base.html keeps its header, sign-in buttons, language list and footer
    this way: about 40 template tags on every page (a guest's give form and checkout in a surge)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% keep "name" %} takes one quoted name')
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(bits[1][1:-1], nodelist)


_CJK = __import__("re").compile(r"[\u3400-\u9fff\uf900-\ufaff]")


_BLOCK = __import__("re").compile(r"<(p|div|ul|ol|table|h[1-6]|blockquote|dl)[\s>]")


# Words the disclosure snapshot stores in the record's language (disclosure.masking.ANONYMOUS,
# disclosure.builder.UNRESTRICTED_LABEL and its by-category key): shown translated, not as data.
RECORD_WORDS = {
    gettext_noop("善心人士"),
    gettext_noop("不指定用途"),
    gettext_noop("不指定用途（一般捐款）"),
}


@register.filter(needs_autoescape=True)
def record_text(value, autoescape=True):
    """A stored snapshot's text on a page: one of RECORD_WORDS in the reader's language, anything
    else (a name, a program's title) as typed, marked Chinese on English pages (``lang_tagged``)."""
    if value in RECORD_WORDS:
        return gettext(value)
    return lang_tagged(value, autoescape=autoescape)


@register.filter
def lang_attr(value):
    """`` lang="zh-Hant"`` for an element whose whole text is ``value`` when that is Chinese typed data
    on an English page (an ``<option>``, which may hold no ``<span>``); else nothing. Written inside
    the tag: ``<option value="1"{{ c.name|lang_attr }}>{{ c.name }}</option>``."""
    from django.utils.safestring import mark_safe

    if (get_language() or "").startswith("en") and _CJK.search(str(value or "")):
        return mark_safe(' lang="zh-Hant"')
    return ""


@register.filter(needs_autoescape=True)
def lang_tagged(value, autoescape=True):
    """What city staff and people typed (a program's title and text, an organisation's or a person's
    name, an item, a place) is Chinese: on an English page it is marked ``lang="zh-Hant"`` so a screen
    reader switches voice (WCAG 3.1.2); unchanged on Chinese pages and when it holds no Chinese.
    Paragraphs (``|linebreaks|lang_tagged``) are wrapped in a div, anything else in a span."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    text = "" if value is None else value
    shown = conditional_escape(text) if autoescape else text
    if (get_language() or "").startswith("en") and _CJK.search(str(text)):
        inner = shown if autoescape else conditional_escape(text)
        tag = "div" if _BLOCK.search(str(inner)) else "span"
        return mark_safe(f'<{tag} lang="zh-Hant">{inner}</{tag}>')  # noqa: S308
    return shown
