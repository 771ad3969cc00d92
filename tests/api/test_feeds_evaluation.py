"""The offline evaluation: simulated buyers prefer their personalized feed to a popularity-only one."""

from __future__ import annotations

from app.evaluate_feed import ndcg_at, precision_at, run_evaluation


def test_precision_and_ndcg_of_a_known_ranking() -> None:
    relevant = [True, False, True] + [False] * 17
    assert precision_at(relevant) == 0.1
    assert ndcg_at([True, True] + [False] * 18) == 1.0
    assert 0 < ndcg_at(relevant) < 1


async def test_the_personalized_feed_beats_popularity_on_precision_and_ndcg() -> None:
    # when
    report = await run_evaluation(products=200, buyers=8, rounds=2, seed=11)
    # then
    assert report.personalized.precision > report.popularity.precision
    assert report.personalized.ndcg > report.popularity.ndcg
