"""Demo inquiries: a thread or two per demo buyer with a few messages, some answered, some waiting."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

from app.domain.inquiries import Inquiry, InquiryStatus, Message, Side, after_message
from app.store.repositories import Repositories

DEMO_BUYERS = 40
QUESTIONS = (
    "Hello, what is the MOQ and the price for 500 pieces?",
    "Can you send samples to our office before the order?",
    "Do you offer OEM with our logo, and what is the lead time?",
    "Which certificates do you have for the EU market?",
)
ANSWERS = (
    "Thank you for your inquiry. MOQ is 100 pieces; for 500 the unit price drops by 8%.",
    "Yes, samples ship in 3 days by express; the fee is refunded with the first order.",
    "OEM is available from 300 pieces, lead time 25 days after artwork approval.",
)
BATCH = 500


async def seed_inquiries(repos: Repositories, rng: random.Random, now: int) -> int:
    """Deterministic from `rng`; skipped when the demo threads already exist (a re-seed)."""
    if (await repos.inquiries.get_many(["demo-inquiry-0"]))[0] is not None:
        return 0
    products = [p async for p in _sample_products(repos)]
    if not products:
        return 0
    threads: list[Inquiry] = []
    messages: list[Message] = []
    for index in range(DEMO_BUYERS):
        product_key, supplier_key, vertical_key, titles = rng.choice(products)
        opened = now - rng.randint(1, 20 * 24 * 60) * 60_000
        inquiry = Inquiry(
            f"demo-inquiry-{index}",
            f"demo-buyer-{index}",
            supplier_key,
            product_key,
            titles,
            InquiryStatus.AWAITING_SUPPLIER,
            rng.choice((None, 100, 500, 2000)),
            opened,
            opened,
            None,
            vertical_key=vertical_key,
        )
        at = opened
        for turn in range(rng.randint(1, 3)):
            side = Side.BUYER if turn % 2 == 0 else Side.SUPPLIER
            texts = QUESTIONS if side is Side.BUYER else ANSWERS
            sender = inquiry.buyer_key if side is Side.BUYER else f"demo-staff-{supplier_key}"
            message = Message(
                f"{at:013d}demo{index:04d}{turn}", inquiry.key, rng.choice(texts), side, sender, at
            )
            inquiry = after_message(inquiry, message)
            messages.append(message)
            at += rng.randint(5, 600) * 60_000
        threads.append(inquiry)
    for start in range(0, len(threads), BATCH):
        await repos.inquiries.insert_many(threads[start : start + BATCH], [])
    for start in range(0, len(messages), BATCH):
        await repos.inquiries.insert_many([], messages[start : start + BATCH])
    return len(threads)


async def _sample_products(repos: Repositories) -> AsyncIterator[tuple[str, str, str, dict[str, str]]]:
    """The first few hundred products: enough variety, and the same time at any catalog size."""
    async for batch in repos.products.batches(200):
        for product in batch:
            yield product.key, product.supplier_key, product.vertical_key, dict(product.titles)
        return
