"""Block and input checks of the editors' mutations, each at its path, and nothing written on failure."""

from __future__ import annotations

from typing import Any

from app.ports import Ports
from tests.api.harness import Api, unique
from tests.api.test_articles_support import article_input, create, media, on_server, product_ids


async def _errors(api: Api, token: str, **fields: Any) -> list[tuple[str, list[str] | None]]:
    body = await api.gql("CreateArticle", {"input": article_input(**fields)}, token=token)
    payload = body["data"]["createArticle"]
    if payload["userErrors"]:
        assert payload["article"] is None
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def _articles_stored(api: Api) -> int:
    async def count(ports: Ports) -> int:
        return await ports.repos.database.collection("articles").count_documents({})

    return await on_server(api, count)


async def test_a_product_block_naming_a_missing_product_is_invalid_at_its_index(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    (real,) = await product_ids(api, 1)
    verticals = (await api.gql("Verticals"))["data"]["verticals"]
    blocks = [
        {"paragraph": "Intro"},
        {"product": real},
        {"product": verticals[0]["id"]},
        {"product": "bogus"},
    ]
    # when
    errors = await _errors(api, editor, blocks=blocks)
    # then
    assert errors == [
        ("INVALID", ["input", "blocks", "2", "product"]),
        ("INVALID", ["input", "blocks", "3", "product"]),
    ]


async def test_heading_levels_are_one_to_three(api: Api) -> None:
    editor = api.token(role="editor")
    blocks = [{"heading": {"text": "Fine", "level": 3}}, {"heading": {"text": "Too deep", "level": 4}}]
    assert await _errors(api, editor, blocks=blocks) == [
        ("INVALID", ["input", "blocks", "1", "heading", "level"])
    ]


async def test_image_sizes_must_be_positive(api: Api) -> None:
    editor = api.token(role="editor")
    blocks = [{"image": {"url": media(api), "width": 0, "height": -5}}]
    assert await _errors(api, editor, blocks=blocks) == [
        ("INVALID", ["input", "blocks", "0", "image", "width"]),
        ("INVALID", ["input", "blocks", "0", "image", "height"]),
    ]


async def test_media_urls_must_be_https_on_the_media_hosts(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    host = api.settings.media_host_list[0]
    blocks = [
        {"image": {"url": f"http://{host}/a.jpg", "width": 10, "height": 10}},
        {"image": {"url": "https://evil.example/a.jpg", "width": 10, "height": 10}},
        {
            "video": {
                "hlsUrl": media(api, "v/master.m3u8"),
                "posterUrl": "https://evil.example/p.jpg",
                "durationSeconds": 30,
            }
        },
        {"image": {"url": media(api, "ok.jpg"), "width": 10, "height": 10}},
    ]
    # when
    errors = await _errors(api, editor, blocks=blocks, coverImageUrl=f"https://{host}.evil.example/c.jpg")
    # then
    assert errors == [
        ("INVALID", ["input", "coverImageUrl"]),
        ("INVALID", ["input", "blocks", "0", "image", "url"]),
        ("INVALID", ["input", "blocks", "1", "image", "url"]),
        ("INVALID", ["input", "blocks", "2", "video", "posterUrl"]),
    ]


async def test_more_than_two_hundred_blocks_is_a_limit(api: Api) -> None:
    editor = api.token(role="editor")
    blocks = [{"paragraph": f"Line {i}"} for i in range(201)]
    assert await _errors(api, editor, blocks=blocks) == [("LIMIT_EXCEEDED", ["input", "blocks"])]


async def test_a_block_with_two_kinds_is_refused_by_one_of(api: Api) -> None:
    editor = api.token(role="editor")
    body = await api.gql(
        "CreateArticle",
        {"input": article_input(blocks=[{"paragraph": "a", "heading": {"text": "b", "level": 1}}])},
        token=editor,
    )
    assert "data" not in body or body["data"] is None
    assert body["errors"]


async def test_paragraphs_are_stored_as_plain_text(api: Api) -> None:
    editor = api.token(role="editor")
    html = '<p>Buy <b>now</b> &amp; save<script>alert("x")</script></p>'
    article = await create(
        api, editor, blocks=[{"paragraph": html}, {"heading": {"text": "<i>Tips</i>", "level": 2}}]
    )
    body = await api.gql("EditorArticle", {"id": article["id"]}, token=editor)
    assert body["data"]["article"]["body"] == [
        {"__typename": "ParagraphBlock", "text": "Buy now & save"},
        {"__typename": "HeadingBlock", "text": "Tips", "level": 2},
    ]


async def test_unknown_vertical_empty_title_and_unknown_locale_are_invalid(api: Api) -> None:
    editor = api.token(role="editor")
    errors = await _errors(api, editor, title="  ", locale="tlh", verticalId="bogus")
    assert errors == [
        ("INVALID", ["input", "title"]),
        ("INVALID", ["input", "locale"]),
        ("INVALID", ["input", "verticalId"]),
    ]


async def test_nothing_is_written_when_any_check_fails(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    before = await _articles_stored(api)
    article = await create(api, editor)
    bad = [{"paragraph": "fine"}, {"heading": {"text": "x", "level": 9}}]
    # when
    created = await _errors(api, editor, blocks=bad)
    updated = await api.gql(
        "UpdateArticle",
        {
            "id": article["id"],
            "input": article_input(f"Changed {unique('t')}", blocks=bad),
            "expectedRevision": 1,
        },
        token=editor,
    )
    # then
    assert created and updated["data"]["updateArticle"]["userErrors"]
    assert await _articles_stored(api) == before + 1
    current = (await api.gql("EditorArticle", {"id": article["id"]}, token=editor))["data"]["article"]
    assert current["revision"] == 1


async def test_image_video_and_product_blocks_read_back_with_their_media(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    (product,) = await product_ids(api, 1)
    blocks = [
        {"image": {"url": media(api, "a/photo.jpg"), "width": 1200, "height": 800, "caption": "Showroom"}},
        {
            "video": {
                "hlsUrl": media(api, "v/master.m3u8"),
                "posterUrl": media(api, "v/poster.jpg"),
                "durationSeconds": 42,
            }
        },
        {"product": product},
    ]
    article = await create(api, editor, blocks=blocks)
    # when
    body = await api.gql("EditorArticle", {"id": article["id"]}, token=editor)
    # then
    image, video, product_block = body["data"]["article"]["body"]
    assert image["caption"] == "Showroom"
    assert (image["image"]["width"], image["image"]["height"]) == (1200, 800)
    assert image["image"]["url"].endswith("/a/photo.jpg")
    assert video["video"]["hlsUrl"] == media(api, "v/master.m3u8")
    assert video["video"]["durationSeconds"] == 42
    assert product_block["product"]["id"] == product
