"""Template tags of the talk pages: a player for a slides or video address, or a plain link (talks.embeds)."""

from django import template

from talks import embeds

register = template.Library()


@register.inclusion_tag("talks/_embed.html")
def talk_embed(url, label):
    """A sandboxed, lazily loaded player for ``url`` if it is from an allowed provider, else a link.

    ``label`` names the frame for screen readers ("Video", "Slides")."""
    return {"embed": embeds.embed_for(url), "url": embeds.link_url(url), "label": label}


@register.filter
def web_link(url):
    """The address if it is a web page's (http or https, nothing odd in it), else "": for hrefs of addresses
    that the forms checked already, in case one reached the database another way."""
    return embeds.link_url(url) or ""
