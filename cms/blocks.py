"""StreamField blocks shared by the site's pages."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    speaker = blocks.CharBlock(required=False, help_text="A name, or leave empty to quote only a role.")
    role = blocks.CharBlock(required=False, help_text='e.g. "clinician", "NHS manager", "young person"')

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote.html"


class CallOutBlock(blocks.StructBlock):
    heading = blocks.CharBlock()
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])
    link = blocks.PageChooserBlock(required=False)
    link_text = blocks.CharBlock(required=False)

    class Meta:
        icon = "pick"
        template = "cms/blocks/call_out.html"

    def get_context(self, value, parent_context=None):
        """The link shows only when the reader may see the page it points to."""
        from wagtail.models import Page

        from network.privacy import visible_pages

        context = super().get_context(value, parent_context=parent_context)
        link, request = value.get("link"), (parent_context or {}).get("request")
        visible = link is not None and request is not None
        visible = visible and visible_pages(Page.objects.filter(pk=link.pk).live(), request).exists()
        context["link"] = link if visible else None
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text="Shown instead of the document's own title.")

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", icon="title", template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"])
    image = ImageBlock()
    quote = QuoteBlock()
    call_out = CallOutBlock()
    document = DocumentBlock()


class OutcomeBlock(blocks.StructBlock):
    """A measured result, e.g. "A&E attendances" — "30% fewer" — the project's own data, 2012."""

    label = blocks.CharBlock(help_text='What was measured, e.g. "A&E attendances"')
    value = blocks.CharBlock(help_text='The result, e.g. "30% fewer"')
    source = blocks.CharBlock(required=False, help_text="Who measured it")
    year = blocks.IntegerBlock(required=False, min_value=1900, max_value=2100)

    class Meta:
        icon = "order"
        template = "cms/blocks/outcome.html"


class ExemplarBodyBlock(BodyBlock):
    outcome = OutcomeBlock()
