"""Shapes MES results for the operator screens (project/views): rows for tables and charts, tree items.

Pure reshaping over what mes.inspection, mes.genealogy and mes.oeelive return; the screens stay
thin (an event script or a script transform calls one of these).
"""
from __future__ import absolute_import, division, print_function

__all__ = ["bom_rows", "shift_window", "spc_rows", "spc_summary", "trace_view"]


def bom_rows(wo_id, op_seq=None):
    """The BOM lines of the running operation for the station screen; [] when nothing runs."""
    if not wo_id:
        return []
    try:
        found = mes.bom.lines(wo_id, int(op_seq) if op_seq else None)  # noqa: F821
    except mes.errors.NotFound:  # noqa: F821 - an order without a BOM
        return []
    return [{"line_no": line["line_no"], "item_id": line["item_id"], "required": line["qty_required"],
             "consumed": line["consumed"], "remaining": line["remaining"], "uom": line["uom"],
             "mode": line["consumption_mode"]} for line in found]


def spc_rows(char_id, last=30):
    """Individuals chart rows [{n, value, cl, ucl, lcl}] of the newest `last` readings; [] if none."""
    if char_id is None or char_id == "":
        return []
    try:
        chart = mes.inspection.chart(int(char_id), "imr", None, int(last))  # noqa: F821
    except mes.errors.MesError:  # noqa: F821 - too few readings to chart yet
        return []
    x = chart["chart"]["x"]
    rows = []
    for index, value in enumerate(x["points"]):
        rows.append({"n": index + 1, "value": value, "cl": x["center"], "ucl": x["ucl"][index],
                     "lcl": x["lcl"][index]})
    return rows


def spc_summary(char_id, last=30):
    """One line for the SPC panel: centre line, limits, Cpk and the rule hits of the chart."""
    if char_id is None or char_id == "":
        return ""
    try:
        chart = mes.inspection.chart(int(char_id), "imr", None, int(last))  # noqa: F821
    except mes.errors.MesError as error:  # noqa: F821
        return error.message
    x = chart["chart"]["x"]
    rules = sorted(set(hit["rule"] for hit in chart["hits"]))
    cpk = chart["capability"].get("cpk")
    return "CL %.3f   UCL %.3f   LCL %.3f   Cpk %s   rules hit: %s" % (
        x["center"], x["ucl"][-1], x["lcl"][-1], "%.2f" % cpk if cpk is not None else "-",
        ", ".join(rules) if rules else "none")


def _items(node_id, children, nodes, edges_by_output, seen):
    items = []
    for edge in children.get(node_id, []):
        child = edge["other"]
        if child in seen:
            continue
        node = nodes[child]
        label = "%s  %s  (%s %s, %s op %s, %s)" % (node["code"], node["item_id"], edge["qty"], edge["uom"] or "",
                                                 edge["wo_id"], edge["op_seq"], edge["operator"])
        items.append({"label": label, "expanded": True, "data": {"code": node["code"]},
                      "items": _items(child, children, nodes, edges_by_output, seen + [child])})
    return items


def trace_view(code, direction="backward"):
    """A trace for the genealogy screen: {"items" (tree), "rows" (edge table), "summary"}."""
    code = (code or "").strip()
    if not code:
        return {"items": [], "rows": [], "summary": "Enter a lot or serial number."}
    result = mes.genealogy.trace(code, None, None, direction, 10, 10000, None, True)  # noqa: F821
    nodes = dict((node["unit_id"], node) for node in result["nodes"])
    children = {}
    rows = []
    for edge in result["edges"]:
        parent, other = ((edge["output_unit_id"], edge["input_unit_id"]) if direction == "backward"
                         else (edge["input_unit_id"], edge["output_unit_id"]))
        entry = dict(edge)
        entry["other"] = other
        children.setdefault(parent, []).append(entry)
        rows.append({"input": nodes[edge["input_unit_id"]]["code"], "output": nodes[edge["output_unit_id"]]["code"],
                     "kind": edge["kind"], "qty": edge["qty"], "uom": edge["uom"], "wo_id": edge["wo_id"],
                     "op_seq": edge["op_seq"], "station": edge["station"], "operator": edge["operator"],
                     "at": edge["at"]})
    for key in children:
        children[key].sort(key=lambda e: nodes[e["other"]]["code"])
    root = result["root"]
    items = [{"label": "%s  %s" % (root["code"], root["item_id"]), "expanded": True, "data": {"code": root["code"]},
              "items": _items(root["unit_id"], children, nodes, None, [root["unit_id"]])}]
    summary = "%s trace of %s: %d units, %d links, depth %d%s" % (
        direction.capitalize(), root["code"], len(result["nodes"]), len(result["edges"]),
        result["depth_reached"], " (truncated)" if result["truncated"] else "")
    return {"items": items, "rows": sorted(rows, key=lambda r: (r["output"], r["input"])), "summary": summary}


def shift_window(line_id):
    """{"from_ms", "to_ms", "shift"} of the line's current shift up to now (for downtime queries)."""
    now_ms = system.date.toMillis(system.date.now())  # noqa: F821
    start_ms, end_ms, day, name = mes.oeelive.shift_window(line_id, now_ms)  # noqa: F821
    return {"from_ms": start_ms, "to_ms": min(end_ms, now_ms), "shift": "%s %s" % (day or "", name or "")}
