"""The benchmarks' plots: PNGs from bench's results.json (and the soak's soak.json).

Usage: plot.py OUT_DIR [--results RESULTS_JSON] [--soak SOAK_JSON]

Writes p1-reads.png, p2-memory.png, p4-setups.png, p3-twin.png (those measured in
RESULTS_JSON) and soak-rss.png (from SOAK_JSON) into OUT_DIR. Every bar is a median of the run's repetitions;
the dots are the repetitions themselves.
"""

import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def label(value):
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"


def bars(outcome, title, ylabel, path, log=False, target=None):
    names = [s["server"] for s in outcome["summaries"]]
    medians = [s["median"] or 0 for s in outcome["summaries"]]
    fig, ax = plt.subplots(figsize=(7, 4))
    colors = ["#1f77b4" if n.startswith("opc-plc") else "#999999" for n in names]
    ax.bar(names, medians, color=colors)
    for i, s in enumerate(outcome["summaries"]):
        ax.scatter([i] * len(s["values"]), s["values"], color="black", s=10, zorder=3)
        ax.annotate(label(s["median"]),
                    (i, s["median"] or 0), ha="center", va="bottom", fontsize=9,
                    xytext=(0, 3), textcoords="offset points")
    if target is not None:
        ax.axhline(target[0], color="red", linestyle="--", linewidth=1)
        ax.annotate(target[1], (len(names) - 0.5, target[0]), color="red", ha="right",
                    va="bottom", fontsize=8)
    if log:
        ax.set_yscale("log")
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    plt.setp(ax.get_xticklabels(), rotation=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(out_dir, results_path=None, soak_path=None):
    os.makedirs(out_dir, exist_ok=True)
    r = {}
    if results_path:
        with open(results_path, encoding="utf-8") as f:
            r = json.load(f)
    if r.get("p1"):
        bars(r["p1"], "P1: secure reads of 100 Doubles per second, 10 sessions, one server core",
             "reads/s (log)", os.path.join(out_dir, "p1-reads.png"), log=True)
    if r.get("p2"):
        bars(r["p2"], "P2: RSS with 1,000 Doubles and 10 active sessions", "MiB",
             os.path.join(out_dir, "p2-memory.png"), target=(15, "target 15 MiB"))
    if r.get("p4"):
        bars(r["p4"], "P4: server CPU per secure session set-up", "ms",
             os.path.join(out_dir, "p4-setups.png"), target=(2, "target 2 ms"))
    if r.get("p3"):
        trials = sorted(r["p3"]["trials_ms"])
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.plot(trials, [(i + 1) / len(trials) for i in range(len(trials))], drawstyle="steps-post")
        ax.axvline(50, color="red", linestyle="--", linewidth=1)
        ax.axvline(200, color="red", linestyle=":", linewidth=1)
        ax.set_xlabel("desired PATCH → new thumbprint reported (ms)")
        ax.set_ylabel("share of trials")
        ax.set_title(f"P3: twin round trips on edge-sim ({len(trials)} trials; p50 / p99 targets in red)",
                     fontsize=10)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, "p3-twin.png"), dpi=100)
        plt.close(fig)
    if soak_path:
        with open(soak_path, encoding="utf-8") as f:
            s = json.load(f)
        samples = s["server_rss_samples"]
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.plot([t / 60 for t, _ in samples], [kib / 1024 for _, kib in samples], marker=".")
        ax.set_ylim(bottom=0)
        ax.set_xlabel("minutes")
        ax.set_ylabel("opc-plc RSS (MiB)")
        ax.set_title(f"Soak: {s['sessions']} secure sessions reading, {s['errors']} errors", fontsize=10)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, "soak-rss.png"), dpi=100)
        plt.close(fig)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--results")
    parser.add_argument("--soak")
    a = parser.parse_args()
    main(a.out_dir, a.results, a.soak)
