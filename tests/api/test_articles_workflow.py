"""The editors' workflow over HTTP: drafts, revisions, slugs, publishing, unpublishing (CONTRACT.md 9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.harness import Api, unique
from tests.api.test_articles_support import article_input, create, drain_after, in_seconds, iso, published


async def test_the_full_workflow_moves_a_draft_to_published_and_back(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    article = await create(api, editor)
    assert (article["status"], article["revision"], article["locale"]) == ("DRAFT", 1, "en")
    # when
    updated = await api.gql(
        "UpdateArticle",
        {"id": article["id"], "input": article_input("Solar lights are back"), "expectedRevision": 1},
        token=editor,
    )
    translated = await api.gql(
        "TranslateArticle",
        {
            "id": article["id"],
            "input": article_input("Las luces solares vuelven", locale="es"),
            "expectedRevision": 2,
        },
        token=editor,
    )
    publish = await api.gql("PublishArticle", {"id": article["id"]}, token=editor)
    unpublish = await api.gql("UnpublishArticle", {"id": article["id"]}, token=editor)
    # then
    assert updated["data"]["updateArticle"]["article"]["title"] == "Solar lights are back"
    assert translated["data"]["translateArticle"]["article"]["availableLocales"] == ["en", "es"]
    shown = publish["data"]["publishArticle"]["article"]
    assert (shown["status"], shown["revision"], shown["scheduledAt"]) == ("PUBLISHED", 4, None)
    assert shown["publishedAt"].endswith("+00:00")
    assert unpublish["data"]["unpublishArticle"]["article"] == {
        "id": article["id"],
        "status": "UNPUBLISHED",
        "revision": 5,
    }


async def test_a_stale_expected_revision_is_a_conflict_and_changes_nothing(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    article = await create(api, editor, title="Original title")
    await api.gql(
        "UpdateArticle",
        {"id": article["id"], "input": article_input("Second"), "expectedRevision": 1},
        token=editor,
    )
    # when
    stale = await api.gql(
        "UpdateArticle",
        {"id": article["id"], "input": article_input("Third"), "expectedRevision": 1},
        token=editor,
    )
    stale_translation = await api.gql(
        "TranslateArticle",
        {"id": article["id"], "input": article_input("Troisième", locale="fr"), "expectedRevision": 1},
        token=editor,
    )
    # then
    for payload in (stale["data"]["updateArticle"], stale_translation["data"]["translateArticle"]):
        assert payload["article"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
            ("CONFLICT", ["expectedRevision"])
        ]
    current = (await api.gql("EditorArticle", {"id": article["id"]}, token=editor))["data"]["article"]
    assert (current["title"], current["revision"]) == ("Second", 2)


async def test_translation_without_expected_revision_adds_or_replaces_the_locale(api: Api) -> None:
    editor = api.token(role="editor")
    article = await create(api, editor)
    for title in ("Premier", "Second"):
        body = await api.gql(
            "TranslateArticle",
            {"id": article["id"], "input": article_input(title, locale="fr-CA")},
            token=editor,
        )
        assert body["data"]["translateArticle"]["article"]["availableLocales"] == ["en", "fr"]
    french = await api.gql(
        "EditorArticle", {"id": article["id"]}, token=editor, headers={"Accept-Language": "fr"}
    )
    assert (french["data"]["article"]["title"], french["data"]["article"]["revision"]) == ("Second", 3)


async def test_optional_fields_left_out_of_an_update_keep_their_value(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    verticals = (await api.gql("Verticals"))["data"]["verticals"]
    article = await create(api, editor, tags=["Lamps", "solar"], verticalId=verticals[0]["id"])
    # when
    await api.gql(
        "UpdateArticle",
        {"id": article["id"], "input": article_input("New title"), "expectedRevision": 1},
        token=editor,
    )
    # then
    current = (await api.gql("EditorArticle", {"id": article["id"]}, token=editor))["data"]["article"]
    assert current["tags"] == ["lamps", "solar"]
    assert current["vertical"] == {"id": verticals[0]["id"]}
    assert current["title"] == "New title"


async def test_slugs_come_from_the_title_and_are_unique(api: Api) -> None:
    editor = api.token(role="editor")
    title = f"Hot Desk Lamps {unique('slug')}!"
    first = await create(api, editor, title=title)
    second = await create(api, editor, title=title)
    assert first["slug"] == title.lower().replace(" ", "-").rstrip("!")
    assert second["slug"] != first["slug"] and second["slug"].startswith(first["slug"])


async def test_the_slug_follows_the_title_of_a_draft_but_never_changes_once_published(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    marker = unique("s")
    article = await create(api, editor, title=f"First {marker}")
    retitled = await api.gql(
        "UpdateArticle",
        {"id": article["id"], "input": article_input(f"Draft {marker}"), "expectedRevision": 1},
        token=editor,
    )
    await api.gql("PublishArticle", {"id": article["id"]}, token=editor)
    # when
    await api.gql(
        "UpdateArticle",
        {"id": article["id"], "input": article_input(f"Live {marker}"), "expectedRevision": 3},
        token=editor,
    )
    # then
    assert retitled["data"]["updateArticle"]["article"]["title"] == f"Draft {marker}"
    current = (await api.gql("EditorArticle", {"id": article["id"]}, token=editor))["data"]["article"]
    assert current["slug"] == f"draft-{marker}"
    assert current["title"] == f"Live {marker}"


async def test_publishing_a_published_article_changes_nothing(api: Api) -> None:
    editor = api.token(role="editor")
    article = await published(api, editor)
    again = await api.gql(
        "PublishArticle", {"id": article["id"], "publishAt": in_seconds(3600)}, token=editor
    )
    shown = again["data"]["publishArticle"]
    assert shown["userErrors"] == []
    assert (shown["article"]["status"], shown["article"]["revision"], shown["article"]["scheduledAt"]) == (
        "PUBLISHED",
        2,
        None,
    )


async def test_publishing_an_empty_article_is_invalid(api: Api) -> None:
    editor = api.token(role="editor")
    article = await create(api, editor, blocks=[])
    body = await api.gql("PublishArticle", {"id": article["id"]}, token=editor)
    payload = body["data"]["publishArticle"]
    assert payload["article"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["INVALID"]


async def test_a_past_publish_at_publishes_at_that_time(api: Api) -> None:
    editor = api.token(role="editor")
    article = await create(api, editor)
    when = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    body = await api.gql("PublishArticle", {"id": article["id"], "publishAt": iso(when)}, token=editor)
    shown = body["data"]["publishArticle"]["article"]
    assert (shown["status"], shown["publishedAt"]) == ("PUBLISHED", "2026-01-05T09:30:00+00:00")


async def test_a_republished_article_keeps_its_first_published_at(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    article = await create(api, editor)
    first = await api.gql(
        "PublishArticle",
        {"id": article["id"], "publishAt": iso(datetime.now(UTC) - timedelta(days=2))},
        token=editor,
    )
    await api.gql("UnpublishArticle", {"id": article["id"]}, token=editor)
    # when
    again = await api.gql("PublishArticle", {"id": article["id"]}, token=editor)
    # then
    first_at = first["data"]["publishArticle"]["article"]["publishedAt"]
    shown = again["data"]["publishArticle"]["article"]
    assert (shown["status"], shown["publishedAt"], shown["revision"]) == ("PUBLISHED", first_at, 4)


async def test_a_future_publish_at_schedules_and_unpublishing_returns_it_to_draft(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    article = await create(api, editor)
    when = in_seconds(2)
    # when
    scheduled = await api.gql("PublishArticle", {"id": article["id"], "publishAt": when}, token=editor)
    withdrawn = await api.gql("UnpublishArticle", {"id": article["id"]}, token=editor)
    await drain_after(api, when)
    # then
    shown = scheduled["data"]["publishArticle"]["article"]
    assert (shown["status"], shown["publishedAt"]) == ("SCHEDULED", None)
    assert shown["scheduledAt"][:19] == when[:19]
    assert withdrawn["data"]["unpublishArticle"]["article"]["status"] == "DRAFT"
    current = (await api.gql("EditorArticle", {"id": article["id"]}, token=editor))["data"]["article"]
    assert (current["status"], current["scheduledAt"], current["publishedAt"]) == ("DRAFT", None, None)


async def test_the_worker_publishes_a_scheduled_article_on_time(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    article = await create(api, editor)
    when = in_seconds(1)
    await api.gql("PublishArticle", {"id": article["id"], "publishAt": when}, token=editor)
    # when
    await drain_after(api, when)
    # then
    current = (await api.gql("EditorArticle", {"id": article["id"]}, token=editor))["data"]["article"]
    assert (current["status"], current["scheduledAt"], current["revision"]) == ("PUBLISHED", None, 3)
    assert current["publishedAt"][:19] == when[:19]
    buyer_view = await api.gql("ArticlePage", {"id": article["id"]}, token=api.token(role="buyer"))
    assert buyer_view["data"]["article"]["id"] == article["id"]


async def test_buyers_and_suppliers_get_forbidden_from_every_editor_mutation(api: Api) -> None:
    # given
    article = await create(api, api.token(role="editor"))
    calls = [
        ("CreateArticle", {"input": article_input()}),
        ("UpdateArticle", {"id": article["id"], "input": article_input(), "expectedRevision": 1}),
        ("TranslateArticle", {"id": article["id"], "input": article_input(locale="zh")}),
        ("PublishArticle", {"id": article["id"]}),
        ("UnpublishArticle", {"id": article["id"]}),
    ]
    for role in ("buyer", "supplier"):
        token = api.token(role=role)
        for name, variables in calls:
            # when
            body = await api.gql(name, variables, token=token)
            # then
            payload = next(iter(body["data"].values()))
            assert payload["article"] is None
            assert payload["userErrors"] == [
                {"field": None, "message": payload["userErrors"][0]["message"], "code": "FORBIDDEN"}
            ]
    current = (await api.gql("EditorArticle", {"id": article["id"]}, token=api.token(role="editor")))["data"][
        "article"
    ]
    assert (current["status"], current["revision"]) == ("DRAFT", 1)


async def test_anonymous_editor_mutations_are_unauthenticated(api: Api) -> None:
    body = await api.gql("CreateArticle", {"input": article_input()})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_a_missing_or_foreign_article_id_is_not_found_at_the_id(api: Api) -> None:
    editor = api.token(role="editor")
    verticals = (await api.gql("Verticals"))["data"]["verticals"]
    for article_id in (verticals[0]["id"], "not-an-id"):
        body = await api.gql("PublishArticle", {"id": article_id}, token=editor)
        errors = body["data"]["publishArticle"]["userErrors"]
        assert [(e["code"], e["field"]) for e in errors] == [("NOT_FOUND", ["id"])]


async def test_editor_articles_is_forbidden_for_other_roles(api: Api) -> None:
    for role in ("buyer", "supplier"):
        body = await api.gql("EditorArticles", {"first": 5}, token=api.token(role=role))
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_editor_articles_lists_every_status_newest_first_and_filters_by_status(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    draft = await create(api, editor)
    live = await published(api, editor)
    # when
    everything = await api.gql("EditorArticles", {"first": 2}, token=editor)
    drafts = await api.gql("EditorArticles", {"status": "DRAFT", "first": 50}, token=editor)
    # then
    nodes = [e["node"] for e in everything["data"]["editorArticles"]["edges"]]
    assert [n["id"] for n in nodes] == [live["id"], draft["id"]]
    assert nodes[0]["stats"] == {"views": 0, "averageDwellSeconds": 0.0}
    draft_ids = [e["node"]["id"] for e in drafts["data"]["editorArticles"]["edges"]]
    assert draft["id"] in draft_ids and live["id"] not in draft_ids
