from django import template

from programs import share

register = template.Library()


@register.inclusion_tag("programs/_share_meta.html")
def program_share_meta(program):
    """Open Graph and Twitter card tags, and the schema.org data block, for a program's <head>."""
    return {"og": share.open_graph(program), "json_ld": share.json_ld(share.structured_data(program))}


@register.inclusion_tag("programs/_share_buttons.html")
def program_share_buttons(program):
    """Plain links to share on LINE and Facebook, copy the link, and the printable poster."""
    return {"program": program, "links": share.share_links(program), "progress": share.progress_text(program)}


@register.simple_tag
def photo_alt(obj):
    """The alt text the caseworker wrote; a description from the title for a photo without one."""
    if hasattr(obj, "cover_alt"):
        return obj.cover_alt or obj.title
    return getattr(obj, "photo_alt", "") or obj.title


@register.inclusion_tag("programs/_closing_report.html")
def program_closing_report(program):
    """A closed program's closing report: reached, raised, spent, handed out, and its photos."""
    from programs.closing import closing_summary

    return {"program": program, "summary": closing_summary(program)}
