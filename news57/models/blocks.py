from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from ..text import html_text


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=500,
        help_text=_("A short description read by screen readers in place of the image."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "news57/blocks/captioned_image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "news57/blocks/quote.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", icon="title", template="news57/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    table = TableBlock(label=_("Table"), template="news57/blocks/table.html")
    embed = EmbedBlock(label=_("Embed"), template="news57/blocks/embed.html")


def stream_text(stream_value):
    """The words of an article body, read from its stored JSON: no block is rendered and no image is fetched."""
    pieces = []
    for block in stream_value.raw_data if stream_value else []:
        kind, value = block.get("type"), block.get("value")
        if kind == "table" and isinstance(value, dict):
            # A table's value also holds its settings ("both", "row", cell metadata): only the caption and cells are words.
            value = [value.get("table_caption"), value.get("data")]
        if kind != "embed":
            _collect_strings(value, pieces)
    return "\n".join(pieces)


def _collect_strings(value, pieces):
    if isinstance(value, str):
        text = html_text(value)
        if text:
            pieces.append(text)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "image":
                _collect_strings(item, pieces)
    elif isinstance(value, list):
        for item in value:
            _collect_strings(item, pieces)
