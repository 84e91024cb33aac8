"""Genealogy: the graph of material flow between units (lots and serials), and its traces.

Every consumption, assembly, split and merge writes one edge input unit -> output unit carrying
the work order, operation, station, operator, time and measurement ids. `trace` follows the edges
backward (what went into this unit) or forward (where did this unit go) with one recursive CTE that
runs unchanged on SQLite and PostgreSQL, bounded by a depth limit (`max_depth` hops) and a fan-out
limit (`max_nodes`: the answer holds at most that many units, nearest first, and says `truncated`
when more were reached). The walk keeps (unit, depth) pairs distinct, so a unit reached along many
paths costs one row per depth, never one per path; the result lists each unit once, at its
smallest depth. One statement finds the root by its number (the code lookup is the walk's first
row), walks, keeps each unit's smallest depth (GROUP BY), joins kind, item and number, orders and
cuts at the fan-out limit; the result is read column by column and becomes one dict per unit. The
edges among the units (work order, operation, station, operator, time, measurements) come from a
second statement, only when asked for (`edges=True`), so a view that shows the affected units pays
for nothing else.
"""
from __future__ import absolute_import, division, print_function

import json
import operator

__all__ = ["DIRECTIONS", "GenealogyCycle", "UnitNotFound", "add_edge", "check_no_cycle", "edges_sql",
           "find_cycle", "resolve", "root_sql", "shape", "stamp", "trace", "trace_sql"]

DIRECTIONS = ("backward", "forward")
_BY_DEPTH_THEN_ID = operator.itemgetter(1, 0)
EDGE_KINDS = ("consume", "assemble", "split", "merge")
# Limits are bound as SQL integers; any depth or fan-out past this one means "no limit" in practice.
_BOUND = 2147483647

# The walk from the root: (unit, depth) pairs kept distinct by UNION, so a sub-graph shared by many
# paths is walked once per depth, bounded by the depth limit.
_STEP = {
    "backward": (
        " UNION"
        " SELECT e.input_unit_id, w.depth + 1 FROM walk w"
        " JOIN genealogy_edges e ON e.output_unit_id = w.unit_id WHERE w.depth < ?)"),
    "forward": (
        " UNION"
        " SELECT e.output_unit_id, w.depth + 1 FROM walk w"
        " JOIN genealogy_edges e ON e.input_unit_id = w.unit_id WHERE w.depth < ?)"),
}

_WALK = {
    "backward": "WITH RECURSIVE walk (unit_id, depth) AS (SELECT CAST(? AS BIGINT), 0" + _STEP["backward"],
    "forward": "WITH RECURSIVE walk (unit_id, depth) AS (SELECT CAST(? AS BIGINT), 0" + _STEP["forward"],
}

# The root named by a unit id, a lot or serial number, or a number of one item: the walk's first row.
_ROOTS = {
    "unit_id": "WITH RECURSIVE walk (unit_id, depth) AS (SELECT id, 0 FROM mat_units WHERE id = ?",
    "code": "WITH RECURSIVE walk (unit_id, depth) AS (SELECT id, 0 FROM mat_units WHERE code = ? AND kind = ?",
    "code_item": ("WITH RECURSIVE walk (unit_id, depth) AS (SELECT id, 0 FROM mat_units"
                  " WHERE code = ? AND kind = ? AND item_id = ?"),
}

# Units reached, each once at its smallest depth, nearest first and then by unit id (creation
# order), at most the fan-out limit plus one (that one more row says the answer was cut).
_NODES_TAIL = (
    " SELECT r.unit_id, r.depth, u.kind, u.item_id, u.code FROM"
    " (SELECT unit_id, MIN(depth) AS depth FROM walk GROUP BY unit_id) r"
    " JOIN mat_units u ON u.id = r.unit_id"
    " ORDER BY r.depth, r.unit_id LIMIT ?")

_EDGE_COLUMNS = ("e.id, e.input_unit_id, e.output_unit_id, e.kind, e.qty, e.uom, e.wo_id, e.op_seq, "
                 "e.station, e.operator, e.at, e.measurement_refs")

# The edges between reached units: every edge leaving a unit short of the depth limit.
_EDGES_TAIL = {
    "backward": (
        ", reached (unit_id) AS (SELECT DISTINCT unit_id FROM walk WHERE depth < ?)"
        " SELECT " + _EDGE_COLUMNS + " FROM reached r JOIN genealogy_edges e ON e.output_unit_id = r.unit_id"),
    "forward": (
        ", reached (unit_id) AS (SELECT DISTINCT unit_id FROM walk WHERE depth < ?)"
        " SELECT " + _EDGE_COLUMNS + " FROM reached r JOIN genealogy_edges e ON e.input_unit_id = r.unit_id"),
}

# (root form, direction) -> the one statement that finds the root and walks from it.
_SQL = dict(((form, direction), _ROOTS[form] + _STEP[direction] + _NODES_TAIL)
            for form in _ROOTS for direction in DIRECTIONS)

_EDGE_SQL = {
    "backward": _WALK["backward"] + _EDGES_TAIL["backward"],
    "forward": _WALK["forward"] + _EDGES_TAIL["forward"],
}

_REACHES = (
    "WITH RECURSIVE down (unit_id) AS ("
    " SELECT CAST(? AS BIGINT)"
    " UNION"
    " SELECT e.output_unit_id FROM down d JOIN genealogy_edges e ON e.input_unit_id = d.unit_id)"
    " SELECT COUNT(*) AS n FROM down WHERE unit_id = ?")


class GenealogyCycle(mes.errors.StateConflict):  # noqa: F821
    code = "genealogy_cycle"


class UnitNotFound(mes.errors.NotFound):  # noqa: F821
    code = "unit_not_found"


# ---------------------------------------------------------------- rules

def trace_sql(direction, root_unit_id, max_depth, max_nodes):
    """The (sql, args) of the units reached: one recursive CTE, constant text, values bound as `?`."""
    return root_sql(direction, max_depth, max_nodes, unit_id=root_unit_id)


def root_sql(direction, max_depth, max_nodes, lot=None, serial=None, item_id=None, unit_id=None):
    """The (sql, args) finding the root (unit id, or lot/serial number and optional item) and the
    units reached from it in one statement; rows (unit_id, depth, kind, item_id, code), root first."""
    _check_direction(direction)
    _check_limit("max_depth", max_depth)
    _check_limit("max_nodes", max_nodes)
    max_depth = min(max_depth, _BOUND)
    limit = min(max_nodes + 1, _BOUND)
    if unit_id is not None:
        return _SQL[("unit_id", direction)], [unit_id, max_depth, limit]
    if lot is None and serial is None:
        raise mes.errors.InvalidInput("A trace needs a lot, a serial or a unit id; got none.", expected="lot|serial|unit_id", got=None)  # noqa: F821
    code, kind = (lot, "lot") if lot is not None else (serial, "serial")
    if item_id is None:
        return _SQL[("code", direction)], [code, kind, max_depth, limit]
    return _SQL[("code_item", direction)], [code, kind, item_id, max_depth, limit]


def edges_sql(direction, root_unit_id, max_depth):
    """The (sql, args) of the edges among the units reached (same walk, then their edges)."""
    _check_direction(direction)
    _check_limit("max_depth", max_depth)
    max_depth = min(max_depth, _BOUND)
    return _EDGE_SQL[direction], [root_unit_id, max_depth, max_depth]


def _check_direction(direction):
    if direction not in DIRECTIONS:
        raise mes.errors.InvalidInput(mes.inventory.fmt("Trace direction %r is unknown; expected 'backward' or 'forward'.", direction),  # noqa: F821
                                      expected=list(DIRECTIONS), got=direction)


def _check_limit(name, value):
    if not isinstance(value, mes.compat.integer_types) or isinstance(value, bool) or value < 1:  # noqa: F821
        raise mes.errors.InvalidInput(mes.inventory.fmt("Trace %s %r must be a whole number of at least 1.", name, value),  # noqa: F821
                                      expected=">= 1", got=value)


def find_cycle(edges):
    """A list of unit ids forming a cycle in `edges` [(input, output), ...], first id repeated last; or None."""
    graph = {}
    for src, dst in edges:
        graph.setdefault(src, []).append(dst)
    state = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph.get(start, ()))))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            advanced = False
            for child in children:
                mark = state.get(child)
                if mark == 1:
                    return path[path.index(child):] + [child]
                if not mark:
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(sorted(graph.get(child, ())))))
                    advanced = True
                    break
            if not advanced:
                state[node] = 2
                path.pop()
                stack.pop()
    return None


def stamp(value):
    """An instant as `YYYY-MM-DD HH:MM:SS` text (datetime from the db layer, or a java.util.Date)."""
    if value is None or isinstance(value, mes.compat.string_types):  # noqa: F821
        return value
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return system.date.format(value, "yyyy-MM-dd HH:mm:ss")  # noqa: F821 - a java.util.Date


def _number(value):
    if value is None:
        return None
    return float(value)


def shape(root, direction, node_rows, edge_rows, max_depth, max_nodes, ordered=False):
    """The JSON-ready trace: units once each at their smallest depth, nearest first, and edges.

    `node_rows` are sequences (unit_id, depth, kind, item_id, code) from `trace_sql`, the root
    included; `edge_rows` dicts from `edges_sql`, or None when edges were not asked for. Units are
    ordered by depth, then by unit id (the order they came into being); the fan-out limit keeps the
    first `max_nodes` of that order. `ordered=True`: the rows already come in that order (the SQL
    sorts them), so they are not sorted again.
    """
    text = mes.compat.text  # noqa: F821
    if not ordered:
        node_rows = sorted(node_rows, key=_BY_DEPTH_THEN_ID)
    nodes = [{"unit_id": unit, "depth": depth, "kind": kind, "item_id": item, "code": code}
             for unit, depth, kind, item, code in node_rows]
    truncated = len(nodes) > max_nodes
    if truncated:
        del nodes[max_nodes:]
    result = {"root": nodes[0] if nodes else dict(root, depth=0), "direction": direction, "max_depth": max_depth,
              "max_nodes": max_nodes, "nodes": nodes, "truncated": truncated,
              "depth_reached": nodes[-1]["depth"] if nodes else 0}
    if edge_rows is not None:
        known = set(node["unit_id"] for node in nodes)
        edges = []
        for row in edge_rows:
            if row["input_unit_id"] not in known or row["output_unit_id"] not in known:
                continue
            refs = row["measurement_refs"]
            edges.append({"id": row["id"], "input_unit_id": row["input_unit_id"], "output_unit_id": row["output_unit_id"],
                          "kind": text(row["kind"]), "qty": _number(row["qty"]), "uom": text(row["uom"]),
                          "wo_id": text(row["wo_id"]), "op_seq": row["op_seq"], "station": text(row["station"]),
                          "operator": text(row["operator"]), "at": stamp(row["at"]),
                          "measurement_refs": json.loads(refs) if refs else []})
        edges.sort(key=lambda e: e["id"])
        result["edges"] = edges
    return result


# ---------------------------------------------------------------- I/O

def resolve(lot=None, serial=None, item_id=None, unit_id=None, tx=None, database=""):
    """The unit {id, kind, item_id, code} named by a lot number, a serial or a unit id."""
    if unit_id is not None:
        found = mes.inventory.query("SELECT id, kind, item_id, code FROM mat_units WHERE id = ?", [unit_id], tx, database)  # noqa: F821
        name = unit_id
    elif lot is not None or serial is not None:
        kind = "lot" if lot is not None else "serial"
        name = lot if lot is not None else serial
        if item_id is not None:
            found = mes.inventory.query("SELECT id, kind, item_id, code FROM mat_units WHERE code = ? AND kind = ? AND item_id = ?",  # noqa: F821
                                        [name, kind, item_id], tx, database)
        else:
            found = mes.inventory.query("SELECT id, kind, item_id, code FROM mat_units WHERE code = ? AND kind = ? ORDER BY id",  # noqa: F821
                                        [name, kind], tx, database)
    else:
        raise mes.errors.InvalidInput("A trace needs a lot, a serial or a unit id; got none.", expected="lot|serial|unit_id", got=None)  # noqa: F821
    if not found:
        raise UnitNotFound(mes.inventory.fmt("No lot or serial %r%s is known.", name, "" if item_id is None else " of item %r" % (item_id,)),
                           expected="a known lot or serial", got=name)
    if len(found) > 1:
        raise mes.errors.InvalidInput(mes.inventory.fmt("%r names units of items %s; give the item too.",   # noqa: F821
            name, ", ".join(sorted(mes.compat.text(r["item_id"]) for r in found))),  # noqa: F821
            expected="one item", got=sorted(mes.compat.text(r["item_id"]) for r in found))  # noqa: F821
    row = found[0]
    return {"unit_id": row["id"], "kind": mes.compat.text(row["kind"]), "item_id": mes.compat.text(row["item_id"]),  # noqa: F821
            "code": mes.compat.text(row["code"])}  # noqa: F821


def trace(lot=None, serial=None, item_id=None, direction="backward", max_depth=10, max_nodes=10000,
          unit_id=None, edges=False, database=""):
    """Trace a lot or serial backward (its inputs) or forward (its uses); a JSON-ready dict.

    Result: root, direction, max_depth, max_nodes, nodes [{unit_id, depth, kind, item_id, code}]
    (root first, then by depth and unit id), truncated (the fan-out limit cut the answer), depth_reached and,
    with `edges=True`, edges [{id, input_unit_id, output_unit_id, kind, qty, uom, wo_id, op_seq,
    station, operator, at, measurement_refs}] among those units. Callable from views and from
    `genba trace`. One statement finds the root and the units reached; an unknown or ambiguous
    number is reported by `resolve`.
    """
    try:
        sql, args = root_sql(direction, max_depth, max_nodes, lot, serial, item_id, unit_id)
    except mes.errors.InvalidInput:  # noqa: F821 - an unknown unit is reported before bad limits
        resolve(lot, serial, item_id, unit_id, None, database)
        raise
    columns = _columns(system.db.runPrepQuery(sql, args, database))  # noqa: F821
    depths = columns[1]
    if not depths or (len(depths) > 1 and depths[1] == 0):
        # no root, or units of several items carry the number: resolve says which
        root = resolve(lot, serial, item_id, unit_id, None, database)
        sql, args = root_sql(direction, max_depth, max_nodes, unit_id=root["unit_id"])
        columns = _columns(system.db.runPrepQuery(sql, args, database))  # noqa: F821
    edge_rows = None
    if edges:
        sql, args = edges_sql(direction, columns[0][0], max_depth)
        edge_rows = mes.inventory.query(sql, args, None, database)  # noqa: F821
    return shape(None, direction, zip(*columns), edge_rows, max_depth, max_nodes, ordered=True)


def _columns(dataset):
    """The five columns of a trace result as lists (read column-wise: no row object per unit)."""
    return [dataset.getColumnAsList(index) for index in range(5)]


def add_edge(tx, input_unit_id, output_unit_id, kind, at, qty=None, uom=None, wo_id=None, op_seq=None,
             station=None, operator=None, measurement_refs=None, database=""):
    """Record one genealogy edge inside the caller's transaction; return its id."""
    if kind not in EDGE_KINDS:
        raise mes.errors.InvalidInput(mes.inventory.fmt("Genealogy edge kind %r is unknown; expected one of %s.", kind, ", ".join(EDGE_KINDS)),  # noqa: F821
                                      expected=list(EDGE_KINDS), got=kind)
    if input_unit_id == output_unit_id:
        raise GenealogyCycle(mes.inventory.fmt("Unit %r cannot be its own input.", input_unit_id), expected="two different units",
                             got=[input_unit_id, output_unit_id])
    refs = json.dumps(sorted(measurement_refs)) if measurement_refs else None
    return mes.inventory.update(  # noqa: F821
        "INSERT INTO genealogy_edges (input_unit_id, output_unit_id, kind, qty, uom, wo_id, op_seq, station, "
        "operator, at, measurement_refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [input_unit_id, output_unit_id, kind, qty, uom, wo_id, op_seq, station, operator, at, refs],
        tx, database, get_key=True)


def check_no_cycle(tx, input_unit_ids, output_unit_id, database=""):
    """Raise GenealogyCycle if `output_unit_id` already flows into any of `input_unit_ids`."""
    for input_unit_id in input_unit_ids:
        if input_unit_id == output_unit_id:
            found = 1
        else:
            found = mes.inventory.one(_REACHES, [output_unit_id, input_unit_id], tx, database)["n"]  # noqa: F821
        if found:
            src = mes.inventory.unit(input_unit_id, tx, database)  # noqa: F821
            dst = mes.inventory.unit(output_unit_id, tx, database)  # noqa: F821
            raise GenealogyCycle(mes.inventory.fmt("%s %r already flows into %s %r; linking %r into %r would make a cycle.", 
                dst["kind"], dst["code"], src["kind"], src["code"], src["code"], dst["code"]),
                expected="an input that does not come from the output", got=src["code"])
