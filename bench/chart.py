"""The chart: p50/p99 per operation against the latency targets, and throughput beside the raw route."""

from __future__ import annotations

from pathlib import Path

from bench.cases import OPERATIONS
from bench.results import Results

P99_TARGETS_MS = {"Feed first page": 50.0, "SearchProducts": 30.0}


def write_chart(results: Results, path: Path) -> Path | None:
    """Writes a PNG with matplotlib; None when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    measured = [(name, results.operation(name).figures()) for name in OPERATIONS]
    shown = [(name, load) for name, load in measured if load is not None]
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(15, 6))
    names = [name for name, _ in shown]
    places = list(range(len(shown)))
    latency.bar([p - 0.2 for p in places], [load.p50_ms for _, load in shown], width=0.4, label="p50")
    latency.bar([p + 0.2 for p in places], [load.p99_ms for _, load in shown], width=0.4, label="p99")
    for place, name in zip(places, names, strict=True):
        if name in P99_TARGETS_MS:
            target = P99_TARGETS_MS[name]
            latency.hlines(target, place - 0.45, place + 0.45, colors="red", linestyles="dashed")
            latency.annotate(
                f"p99 target {target:.0f} ms",
                (place, target),
                color="red",
                fontsize=8,
                ha="center",
                xytext=(0, 4),
                textcoords="offset points",
            )
    latency.set_xticks(places, names, rotation=30, ha="right")
    latency.set_ylabel("ms (log scale)")
    latency.set_yscale("log")
    latency.set_title(f"latency at {results.connections} connections")
    latency.legend()
    raw = results.raw.get("plain") or results.raw.get("stats")
    bars = [*names, *(["raw route"] if raw else [])]
    rates = [load.rps for _, load in shown] + ([raw.rps] if raw else [])
    colors = ["tab:blue"] * len(shown) + (["tab:gray"] if raw else [])
    throughput.bar_label(throughput.bar(range(len(bars)), rates, color=colors), fmt="%.0f", fontsize=8)
    throughput.set_yscale("log")
    if raw:
        throughput.axhline(
            raw.rps * 0.5, color="red", linestyle="dashed", label="50% of raw (ProductPage target)"
        )
        throughput.legend()
    throughput.set_xticks(range(len(bars)), bars, rotation=30, ha="right")
    throughput.set_ylabel("requests per second (log scale)")
    throughput.set_title("throughput")
    figure.suptitle(f"buyer-api bench: {results.shape}, {results.products:,} products")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
