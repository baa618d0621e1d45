"""Small server-rendered SVG charts: no JavaScript, readable by screen readers (each chart has
a title and a text description; pages also show the numbers as a table).

    {{ chart }}  with  chart = bar_chart([("兒少福利", 120000), ...], title="各類別捐款")
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PALETTE = ["#0b5c6b", "#a23f06", "#1e6b34", "#5b3f99", "#8a5300", "#b42318", "#35568a", "#52606d"]


def _lang(text: str) -> str:
    """`` lang="zh-Hant"`` for a Chinese label (a category, a program) in a chart on an English page,
    so a screen reader reads it in a Chinese voice (WCAG 3.1.2), as core's lang_tagged does for HTML."""
    from core.templatetags.goodday import lang_attr

    return lang_attr(text)


def _fmt(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.2f}"
    return f"{text}{unit}"


def bar_chart(items, *, title: str, unit: str = "", width: int = 640) -> SafeString:
    """Horizontal bars, one per (label, value): suits long Chinese labels and narrow phones."""
    items = [(str(label), float(value or 0)) for label, value in items]
    row, label_w, pad = 28, 150, 8
    height = max(1, len(items)) * row + 2 * pad
    top = max([v for _, v in items] + [1])
    bar_area = width - label_w - 110
    desc = "；".join(f"{label} {_fmt(v, unit)}" for label, v in items) or _("沒有資料")
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="t d">',
        f"<title>{escape(title)}</title><desc{_lang(desc)}>{escape(desc)}</desc>",
    ]
    for i, (label, value) in enumerate(items):
        y = pad + i * row
        w = 0 if top == 0 else max(0.0, value) / top * bar_area
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 18}" text-anchor="end" font-size="13" fill="#1f2933"{_lang(label)}>'
            f"{escape(label[:14])}</text>"
            f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 18}" font-size="13" fill="#1f2933">{escape(_fmt(value, unit))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def column_chart(
    labels, series: dict, *, title: str, unit: str = "", width: int = 720, height: int = 260
) -> SafeString:
    """Grouped columns over time: ``labels`` on the x axis, one colour per series (with a legend)."""
    labels = [str(x) for x in labels]
    names = list(series)
    values = {n: [float(v or 0) for v in series[n]] for n in names}
    top = max([v for vs in values.values() for v in vs] + [1])
    left, bottom, legend_h = 70, 40, 24
    plot_w, plot_h = width - left - 10, height - bottom - legend_h - 10
    group_w = plot_w / max(1, len(labels))
    bar_w = max(2.0, (group_w - 6) / max(1, len(names)))
    desc = "；".join(
        f"{label}: " + "、".join(f"{n} {_fmt(values[n][i], unit)}" for n in names)
        for i, label in enumerate(labels)
    )
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc{_lang(desc or '')}>{escape(desc or _('沒有資料'))}</desc>",
    ]
    for k in range(5):
        v = top * k / 4
        y = legend_h + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#cbd2d9"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#52606d">{escape(_fmt(v, ""))}</text>'
        )
    for i, label in enumerate(labels):
        x0 = left + i * group_w + 3
        for j, name in enumerate(names):
            h = values[name][i] / top * plot_h if top else 0
            parts.append(
                f'<rect x="{x0 + j * bar_w:.1f}" y="{legend_h + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}"/>'
            )
        parts.append(
            f'<text x="{x0 + group_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
            f'fill="#1f2933"{_lang(label)}>{escape(label)}</text>'
        )
    for j, name in enumerate(names):
        x = left + j * 140
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="15" font-size="12" fill="#1f2933"{_lang(name)}>{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
