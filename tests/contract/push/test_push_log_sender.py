"""The `log://` push sender: records every delivery, logs a line, sends nothing, all SENT."""

from __future__ import annotations

import logging

import pytest

from push.log_sender import LogPushSender
from push.port import MAX_BATCH, PushMessage, PushSender, SendOutcome, batches, redact

TOKEN = "dGVzdC10b2tlbi0x:APA91b" + "y" * 130


def msg(n: int, address: str = TOKEN) -> PushMessage:
    return PushMessage(
        delivery_key=f"n{n}:d1",
        address=address,
        address_kind="token",
        title=f"Title {n}",
        body="Body",
        data={"kind": "order", "notificationId": f"n{n}", "targetId": "o1"},
        group="order-o1",
        badge=n,
        platform="IOS",
    )


async def test_records_and_answers_sent(log_sender: LogPushSender) -> None:
    messages = [msg(1), msg(2), msg(3)]

    results = await log_sender.send(messages)

    assert [r.delivery_key for r in results] == ["n1:d1", "n2:d1", "n3:d1"]
    assert all(r.outcome is SendOutcome.SENT and r.ok for r in results)
    assert len({r.provider_message_id for r in results}) == 3
    assert [p.message for p in log_sender.sent] == messages
    assert [p.provider_message_id for p in log_sender.sent] == [r.provider_message_id for r in results]
    assert all(p.at > 0 for p in log_sender.sent)
    assert log_sender.calls == [3]


async def test_logs_a_line_without_the_token(
    log_sender: LogPushSender, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="push.log")

    await log_sender.send([msg(1)])

    [record] = [r for r in caplog.records if r.name == "push.log"]
    text = record.getMessage()
    assert "n1:d1" in text and "Title 1" in text
    assert TOKEN not in text
    assert redact(TOKEN) in text


async def test_is_a_push_sender(log_sender: LogPushSender) -> None:
    sender: PushSender = log_sender
    assert await sender.send([]) == []


async def test_bounded_record() -> None:
    sender = LogPushSender(max_kept=5)
    await sender.send([msg(i) for i in range(12)])
    assert [p.message.delivery_key for p in sender.sent] == [f"n{i}:d1" for i in range(7, 12)]
    sender.clear()
    assert sender.sent == [] and sender.calls == []


async def test_closed_sender_refuses(log_sender: LogPushSender) -> None:
    await log_sender.close()
    with pytest.raises(RuntimeError):
        await log_sender.send([msg(1)])


def test_redact_hides_most_of_the_address() -> None:
    shown = redact(TOKEN)
    assert TOKEN not in shown
    assert shown.startswith(TOKEN[:6]) and f"len={len(TOKEN)}" in shown
    assert redact("abc") == "…(len=3)"  # a short address shows no character at all
    assert "secret-value" not in repr(msg(1, address="tok-secret-value-123456"))


def test_batches() -> None:
    items = [msg(i) for i in range(1201)]
    sizes = [len(b) for b in batches(items)]
    assert sizes == [MAX_BATCH, MAX_BATCH, 201]
    assert [m for b in batches(items) for m in b] == items
    assert batches([]) == []
