"""Editors write and submit exemplars in the Wagtail admin; moderators approve; the catalogue shows them."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import ExemplarPage
from network.models import Theme
from tests.factories import EditorFactory, ModeratorFactory

pytestmark = pytest.mark.django_db


def exemplar_form(report: Document, health_pk: int, theme_pks: list[int]) -> dict:
    data = nested_form_data(
        {
            "title": "Community health champions",
            "slug": "community-health-champions",
            "summary": "Residents trained as health champions run sessions in their own estates.",
            "organisation": "Champions CIC",
            "town": "Leeds",
            "region": "yorkshire",
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>Champions meet neighbours where they already are.</p>")),
                    (
                        "quote",
                        {
                            "quote": "I trust a neighbour more than a leaflet.",
                            "speaker": "",
                            "role": "resident",
                        },
                    ),
                    (
                        "outcome",
                        {
                            "label": "GP appointments",
                            "value": "18% fewer",
                            "source": "CCG audit",
                            "year": 2015,
                        },
                    ),
                ]
            ),
            "reports": inline_formset([{"document": report.pk, "title": "Evaluation 2015"}]),
            "related": inline_formset([]),
            "comments": inline_formset([]),
            "action-submit": "Submit to Moderators approval",
        }
    )
    # multiple-choice fields post one value per box, which nested_form_data would flatten away
    return {**data, "sectors": [health_pk], "themes": theme_pks}


def test_an_editor_submits_an_exemplar_and_a_moderator_approves_it(
    client, catalogue, sectors, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    report = Document.objects.create(
        title="Evaluation", file=SimpleUploadedFile("evaluation.pdf", b"%PDF-1.4")
    )
    themes = list(Theme.objects.filter(slug__in=["community-capacity", "meeting-people-where-they-are"]))
    client.force_login(EditorFactory())

    response = client.post(
        f"/admin/pages/add/cms/exemplarpage/{catalogue.pk}/",
        exemplar_form(report, sectors["health"].pk, [t.pk for t in themes]),
    )

    assert response.status_code == HTTPStatus.FOUND, (
        response.context["form"].errors if response.context else ""
    )
    page = ExemplarPage.objects.get(slug="community-health-champions")
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"
    assert client.get("/exemplars/").context["page_obj"].paginator.count == 0

    client.force_login(ModeratorFactory())
    task_state = page.current_workflow_state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "Lovely"}
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)

    page.refresh_from_db()
    assert page.live
    client.logout()
    listing = client.get(
        "/exemplars/", {"theme": "community-capacity", "sector": "health", "region": "yorkshire"}
    )
    assert [p.title for p in listing.context["page_obj"]] == ["Community health champions"]
    assert "Community health champions" in client.get("/exemplars/feed/").content.decode()
    html = client.get(page.url).content.decode()
    assert "18% fewer" in html and "I trust a neighbour" in html and "Evaluation 2015" in html
    assert client.get(report.url).status_code == HTTPStatus.OK


def test_an_editor_cannot_publish_directly(client, catalogue, sectors):
    editor = EditorFactory()

    assert not Page.objects.get(pk=catalogue.pk).permissions_for_user(editor).can_publish_subpage()


def test_an_editor_previews_a_draft_that_visitors_never_see(client, make_exemplar):
    page = make_exemplar("Live version", summary="What the public reads")
    page.summary = "Draft wording under review"
    page.save_revision(user=None)
    client.force_login(EditorFactory())

    draft = client.get(f"/admin/pages/{page.pk}/view_draft/")

    assert draft.status_code == HTTPStatus.OK and "Draft wording under review" in draft.content.decode()
    client.logout()
    public = client.get(page.url).content.decode()
    assert "What the public reads" in public and "Draft wording" not in public
    assert client.get(f"/admin/pages/{page.pk}/view_draft/").status_code == HTTPStatus.FOUND
