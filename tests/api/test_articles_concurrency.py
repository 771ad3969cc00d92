"""Editors writing at the same moment: one update of a revision wins, the other is told; slugs stay unique."""

from __future__ import annotations

import asyncio

from tests.api.harness import Api, unique
from tests.api.test_articles_support import article_input, create


async def test_two_updates_of_one_revision_at_once_save_one_and_refuse_the_other(api: Api) -> None:
    # given a draft at revision 1 and two editors who opened it
    first, second = api.token(role="editor"), api.token(role="editor")
    article = await create(api, first, title="Original title")
    # when both save their text over revision 1 at the same moment
    bodies = await asyncio.gather(
        *(
            api.gql(
                "UpdateArticle",
                {"id": article["id"], "input": article_input(title), "expectedRevision": 1},
                token=token,
            )
            for title, token in (("First edit", first), ("Second edit", second))
        )
    )
    # then one is saved as revision 2, the other is a CONFLICT that changed nothing
    assert [b.get("errors") for b in bodies] == [None, None]
    payloads = [b["data"]["updateArticle"] for b in bodies]
    [saved] = [p["article"] for p in payloads if p["article"] is not None]
    [refused] = [p["userErrors"] for p in payloads if p["article"] is None]
    assert [(e["code"], e["field"]) for e in refused] == [("CONFLICT", ["expectedRevision"])]
    current = (await api.gql("EditorArticle", {"id": article["id"]}, token=first))["data"]["article"]
    assert (current["title"], current["revision"]) == (saved["title"], 2)


async def test_articles_of_one_title_created_at_once_get_different_slugs(api: Api) -> None:
    # given
    editor = api.token(role="editor")
    title = f"Hot Desk Lamps {unique('slug')}"
    # when
    bodies = await asyncio.gather(
        *(api.gql("CreateArticle", {"input": article_input(title)}, token=editor) for _ in range(3))
    )
    # then
    assert [b.get("errors") for b in bodies] == [None] * 3
    slugs = [b["data"]["createArticle"]["article"]["slug"] for b in bodies]
    assert len(set(slugs)) == 3
