"""The HTML report of a replay: figures (matplotlib PNGs beside the page) and the tables behind them.

Every figure is drawn from the replay summary (itself made by `mes.*`) or from rows of the replay's
database (SPC readings, operation quantities); each figure's numbers are also in a table with an
`id`, so a reader — or a test — can check them against the database.
"""
from __future__ import annotations

import html
import json
import os
import sqlite3

__all__ = ["spc_points", "write_report"]

CSS = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
       "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
       "th{background:#eee}td:first-child{text-align:left}img{max-width:100%}")


def spc_points(connection, char_id):
    """[(measurement id, value)], centre, sigma and the signals [(measurement id, rule)] of a characteristic."""
    points = connection.execute("SELECT id, value FROM qc_measurements WHERE char_id = ? ORDER BY id",
                                (char_id,)).fetchall()
    limits = connection.execute("SELECT spc_center, spc_sigma FROM qc_characteristics WHERE id = ?",
                                (char_id,)).fetchone() or (None, None)
    signals = connection.execute("SELECT measurement_id, rule FROM qc_spc_signals WHERE char_id = ? ORDER BY id",
                                 (char_id,)).fetchall()
    return points, limits[0], limits[1], signals


def _table(table_id, header, rows):
    out = ['<table id="%s"><tr>%s</tr>' % (table_id, "".join("<th>%s</th>" % html.escape(h) for h in header))]
    for row in rows:
        out.append("<tr>%s</tr>" % "".join("<td>%s</td>" % html.escape(str(v)) for v in row))
    out.append("</table>")
    return "\n".join(out)


def _pct(value):
    return "" if value is None else "%.1f" % (100.0 * value)


def _oee_figure(plt, summary, path):
    names = sorted(summary["machines"]) + ["%s (line)" % line for line in sorted(summary["lines"])]
    values = [summary["machines"][n]["OEE"] for n in sorted(summary["machines"])]
    values += [summary["lines"][line]["OEE"] for line in sorted(summary["lines"])]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    colors = ["#4c72b0"] * len(summary["machines"]) + ["#dd8452"] * len(summary["lines"])
    ax.bar(range(len(names)), [100.0 * (v or 0.0) for v in values], color=colors)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=60, ha="right", fontsize=8)
    ax.set_ylabel("OEE %")
    ax.set_title("OEE per machine and line")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def downtime_totals(summary):
    """Downtime seconds per reason over all machines, longest first."""
    totals = {}
    for machine in summary["machines"].values():
        for reason, seconds in machine["downtime_s"].items():
            totals[reason] = totals.get(reason, 0) + seconds
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def _pareto_figure(plt, pareto, path):
    fig, ax = plt.subplots(figsize=(8, 4))
    reasons = [r for r, _ in pareto]
    minutes = [s / 60.0 for _, s in pareto]
    ax.bar(range(len(reasons)), minutes, color="#c44e52")
    total = sum(minutes) or 1.0
    running, cumulative = 0.0, []
    for value in minutes:
        running += value
        cumulative.append(100.0 * running / total)
    ax2 = ax.twinx()
    ax2.plot(range(len(reasons)), cumulative, "k.-")
    ax2.set_ylim(0, 105)
    ax2.set_ylabel("cumulative %")
    ax.set_xticks(range(len(reasons)))
    ax.set_xticklabels(reasons, rotation=30, ha="right")
    ax.set_ylabel("minutes (all machines)")
    ax.set_title("Downtime Pareto")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _spc_figure(plt, points, center, sigma, signals, path):
    fig, ax = plt.subplots(figsize=(10, 4))
    xs = list(range(1, len(points) + 1))
    ax.plot(xs, [v for _, v in points], "b.-", lw=0.8)
    if center is not None and sigma:
        for level, style in ((0, "g-"), (3, "r--"), (-3, "r--")):
            ax.axhline(center + level * sigma, color=style[0], ls=style[1:], lw=1)
    index = dict((mid, i + 1) for i, (mid, _) in enumerate(points))
    value = dict(points)
    previous = None
    for mid, rule in signals:
        if mid in index:
            ax.plot([index[mid]], [value[mid]], "ro", ms=9, mfc="none")
            if previous is None or index[mid] - previous > 3:  # label the first hit of each run
                ax.annotate("rule %s" % rule, (index[mid], value[mid]), textcoords="offset points",
                            xytext=(-60, 10), color="r")
            previous = index[mid]
    ax.set_xlabel("reading")
    ax.set_ylabel("torque (Nm)")
    ax.set_title("SPC individuals chart with the rule hit")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _genealogy_figure(plt, nodes, root, path):
    fig, ax = plt.subplots(figsize=(8, 3))
    by_depth = {}
    for code, item, depth in nodes:
        by_depth.setdefault(depth, []).append("%s\n%s" % (code, item))
    for depth, labels in sorted(by_depth.items()):
        for row, label in enumerate(labels):
            ax.text(depth, -row, label, ha="center", va="center", fontsize=9,
                    bbox=dict(boxstyle="round", fc="#dde8f5" if depth else "#f5dede"))
            if depth:
                ax.annotate("", (depth - 0.25, -row), (depth - 0.75, 0), arrowprops=dict(arrowstyle="->"))
    ax.set_xlim(-0.5, max(by_depth or [0]) + 0.5)
    ax.set_ylim(-max(len(v) for v in by_depth.values()) - 0.2 if by_depth else -1, 0.8)
    ax.axis("off")
    ax.set_title("Recall: where lot %s went" % root)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _wo_figure(plt, summary, path):
    labels, good, scrap = [], [], []
    for wo_id, order in sorted(summary["work_orders"].items()):
        for op_seq, status, qty_good, qty_scrap in order["operations"]:
            labels.append("%s/%s" % (wo_id, op_seq))
            good.append(100.0 * (qty_good or 0) / order["released"] if order["released"] else 0)
            scrap.append(100.0 * (qty_scrap or 0) / order["released"] if order["released"] else 0)
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.barh(range(len(labels)), good, color="#55a868", label="good")
    ax.barh(range(len(labels)), scrap, left=good, color="#c44e52", label="scrap")
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels)
    ax.set_xlabel("% of released quantity")
    ax.set_title("Work order progress")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def write_report(summary, database_path, folder, scenario=None):
    """Write `folder`/report.html and its PNGs; the path of the page."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    os.makedirs(folder, exist_ok=True)
    settings = (scenario or {}).get("report", {})
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Genba replay: %s</title><style>%s</style>"
             "</head><body>" % (html.escape(str(summary.get("scenario"))), CSS),
             "<h1>Genba replay: %s</h1><p>%s</p><p>%g hours of virtual time; the machines handled %s "
             "parts (every machine's infeed, summed).</p>"
             % (html.escape(str(summary.get("scenario"))), html.escape((scenario or {}).get("description", "")),
                summary["hours"], summary.get("plant_parts", "-"))]

    _oee_figure(plt, summary, os.path.join(folder, "oee.png"))
    parts.append("<h2>OEE per machine and line</h2><img src='oee.png' alt='OEE per machine and line'>")
    rows = [["%s (line)" % k, _pct(v["A"]), _pct(v["P"]), _pct(v["Q"]), _pct(v["OEE"]), "", ""]
            for k, v in sorted(summary["lines"].items())]
    rows += [[k, _pct(v["A"]), _pct(v["P"]), _pct(v["Q"]), _pct(v["OEE"]), v["good"], v["total"]]
             for k, v in sorted(summary["machines"].items())]
    parts.append(_table("oee", ["machine", "A %", "P %", "Q %", "OEE %", "good", "total"], rows))

    pareto = downtime_totals(summary)
    _pareto_figure(plt, pareto, os.path.join(folder, "pareto.png"))
    parts.append("<h2>Downtime Pareto</h2><img src='pareto.png' alt='downtime Pareto'>")
    parts.append(_table("pareto", ["reason", "minutes"], [[r, "%.1f" % (s / 60.0)] for r, s in pareto]))

    connection = sqlite3.connect(database_path)
    try:
        char_id = settings.get("spc_characteristic")
        if char_id is not None:
            points, center, sigma, signals = spc_points(connection, char_id)
            _spc_figure(plt, points, center, sigma, signals, os.path.join(folder, "spc.png"))
            parts.append("<h2>SPC: torque at TORQUE-1</h2><img src='spc.png' alt='SPC chart'>")
            parts.append("<p id='spc-summary'>%d readings, centre %s, sigma %s</p>"
                         % (len(points), "-" if center is None else "%.4f" % center,
                            "-" if sigma is None else "%.4f" % sigma))
            parts.append(_table("spc-signals", ["reading id", "rule", "value"],
                                [[mid, rule, "%.4f" % dict(points).get(mid, float("nan"))] for mid, rule in signals]))
    finally:
        connection.close()

    recall = settings.get("recall")
    if recall and recall in summary["traces"]:
        nodes = summary["traces"][recall]
        root = [code for code, _, depth in nodes if depth == 0]
        _genealogy_figure(plt, nodes, root[0] if root else recall, os.path.join(folder, "genealogy.png"))
        parts.append("<h2>Genealogy of the recalled lot</h2><img src='genealogy.png' alt='genealogy'>")
        parts.append(_table("genealogy", ["code", "item", "depth"], nodes))

    _wo_figure(plt, summary, os.path.join(folder, "workorders.png"))
    parts.append("<h2>Work order progress</h2><img src='workorders.png' alt='work order progress'>")
    wo_rows = []
    for wo_id, order in sorted(summary["work_orders"].items()):
        for op_seq, status, qty_good, qty_scrap in order["operations"]:
            wo_rows.append([wo_id, op_seq, status, qty_good, qty_scrap, order["released"]])
    parts.append(_table("workorders", ["order", "op", "status", "good", "scrap", "released"], wo_rows))

    parts.append("<h2>Holds</h2>" + _table("holds", ["kind", "subject", "reason", "status"], summary["holds"]))
    parts.append("<h2>ERP outbox</h2>" + _table("outbox", ["message", "kind", "key", "status"], summary["outbox"]))
    parts.append("<h2>Story</h2>" + _table(
        "story", ["at", "what", "outcome"],
        [[e["at"], e["what"] or e["do"], e.get("refused", "ok")] for e in summary["events"] if e.get("what")]))
    parts.append("<script type='application/json' id='summary'>%s</script></body></html>"
                 % json.dumps(summary, sort_keys=True).replace("</", "<\\/"))
    page = os.path.join(folder, "report.html")
    with open(page, "w", encoding="utf-8") as handle:
        handle.write("\n".join(parts))
    return page
