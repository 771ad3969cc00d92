"""Pure article rules: blocks, plain text, reading time, slugs, the publishing states and close followers."""

from __future__ import annotations

from app.domain.article_blocks import (
    BlockDraft,
    HeadingBlock,
    ImageDraft,
    ParagraphBlock,
    ProductBlock,
    check_blocks,
    media_image,
    plain_text,
    reading_minutes,
)
from app.domain.articles import (
    Article,
    ArticleStatus,
    ArticleText,
    follows_closely,
    publish,
    should_notify,
    slug_base,
    unpublish,
)
from app.domain.errors import UserErrorCode

HOSTS = frozenset({"cdn.example"})
NOW = 1_800_000_000_000


def _article(**fields: object) -> Article:
    values: dict[str, object] = {
        "key": "a1",
        "slug": "a1",
        "status": ArticleStatus.DRAFT,
        "revision": 1,
        "original_locale": "es",
        "texts": {"es": ArticleText("Hola", "", (ParagraphBlock("texto"), ProductBlock("p1")))},
        "vertical_key": "v-seating",
        "tags": (),
        "cover": None,
        "author_key": "e1",
        "created_at": NOW - 1000,
        "updated_at": NOW - 1000,
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def test_plain_text_drops_tags_scripts_and_entities() -> None:
    assert plain_text("<p>Hi <b>there</b> &amp; <script>x()</script>bye</p>\n\n") == "Hi there & bye"


def test_media_must_be_https_on_a_listed_host_without_credentials_or_port() -> None:
    assert media_image("https://cdn.example/a/b.jpg", 10, 20, HOSTS) is not None
    for url in ("http://cdn.example/a.jpg", "https://cdn.example.evil/a.jpg", "https://u@cdn.example/a.jpg"):
        assert media_image(url, 10, 20, HOSTS) is None
    assert media_image("https://cdn.example:8443/a.jpg", 1, 1, HOSTS) is None
    assert media_image("https://cdn.example/", 1, 1, HOSTS) is None


def test_block_checks_report_each_problem_at_its_path() -> None:
    drafts = [
        BlockDraft(paragraph="<b></b>"),
        BlockDraft(heading=HeadingBlock("t", 0)),
        BlockDraft(image=ImageDraft("https://cdn.example/i.jpg", 5, 0, None)),
        BlockDraft(product="gone"),
        BlockDraft(product="p1"),
    ]
    found = [(v.code, v.field) for v in check_blocks(drafts, HOSTS, {"p1"})]
    assert found == [
        (UserErrorCode.INVALID, ("input", "blocks", "0", "paragraph")),
        (UserErrorCode.INVALID, ("input", "blocks", "1", "heading", "level")),
        (UserErrorCode.INVALID, ("input", "blocks", "2", "image", "height")),
        (UserErrorCode.INVALID, ("input", "blocks", "3", "product")),
    ]


def test_more_than_two_hundred_blocks_is_one_limit_error() -> None:
    found = check_blocks([BlockDraft(paragraph="x")] * 201, HOSTS, set())
    assert [(v.code, v.field) for v in found] == [(UserErrorCode.LIMIT_EXCEEDED, ("input", "blocks"))]


def test_reading_minutes_round_up_and_count_cjk_characters() -> None:
    assert reading_minutes(["word " * 10]) == 1
    assert reading_minutes(["word " * 221]) == 2
    assert reading_minutes(["字" * 900]) == 3


def test_slugs_are_ascii_words_and_other_scripts_fall_back() -> None:
    assert slug_base("Hot: Café Chairs & Sofás, 2026!") == "hot-cafe-chairs-sofas-2026"
    assert slug_base("座椅为何领跑") == "article"


def test_text_falls_back_to_the_original_locale_then_english() -> None:
    article = _article(texts={"es": ArticleText("Hola", "", ()), "en": ArticleText("Hello", "", ())})
    assert article.text("fr") == ("es", article.texts["es"])
    assert article.text("en")[0] == "en"
    assert article.available_locales == ["es", "en"]


def test_publishing_now_future_and_again() -> None:
    draft = _article()
    now = publish(draft, NOW, None, notify=True)
    later = publish(draft, NOW, NOW + 60_000, notify=False)
    assert now is not None and later is not None
    assert (now.status, now.published_at, now.revision, now.notify_followers) == (
        ArticleStatus.PUBLISHED,
        NOW,
        2,
        True,
    )
    assert (later.status, later.scheduled_at, later.published_at) == (
        ArticleStatus.SCHEDULED,
        NOW + 60_000,
        None,
    )
    assert publish(now, NOW + 5, None, notify=False) is None


def test_unpublishing_withdraws_schedules_and_republishing_keeps_the_first_date() -> None:
    scheduled = publish(_article(), NOW, NOW + 60_000, notify=False)
    assert scheduled is not None
    withdrawn = unpublish(scheduled, NOW + 1)
    assert withdrawn is not None and (withdrawn.status, withdrawn.scheduled_at) == (ArticleStatus.DRAFT, None)
    live = publish(_article(), NOW, NOW - 5_000, notify=False)
    assert live is not None
    down = unpublish(live, NOW + 10)
    assert down is not None and down.status is ArticleStatus.UNPUBLISHED
    again = publish(down, NOW + 20, None, notify=False)
    assert again is not None and again.published_at == NOW - 5_000
    assert unpublish(_article(), NOW) is None


def test_followers_are_told_once_per_article() -> None:
    live = publish(_article(), NOW, None, notify=True)
    assert live is not None and should_notify(live)
    assert not should_notify(_article(status=ArticleStatus.PUBLISHED, notify_followers=True, notified_at=NOW))


def test_close_followers_have_the_vertical_in_their_top_three_at_fifteen_percent() -> None:
    assert follows_closely({"v": 2.0, "a": 3.0, "b": 5.0}, "v")
    assert not follows_closely({"v": 1.0, "a": 3.0, "b": 3.0, "c": 3.0}, "v")
    assert not follows_closely({"v": 1.0, "a": 8.0}, "v")
