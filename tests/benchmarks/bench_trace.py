"""Benchmark: genealogy trace (mes.genealogy.trace) against a hand-written recursive CTE.

Data: a generated genealogy of 1,000,000 units and ~10,000,000 edges (`--quick`: 10,000 units,
~100,000 edges), the shape of a plant that builds serialized units:
- raw lots (5 %), received;
- sublots (20 %), each split from one raw lot or merged from two (kinds split / merge);
- serialized assemblies (75 %) in build chains of 3-9 levels: every assembly consumes the
  assembly one level down (kind assemble) and 12 sublots taken from a window of sublots in use at
  that time (kind consume). A finished unit therefore sits up to 10 steps above its raw lots.
Loading is bulk: executemany with the indexes dropped and rebuilt on SQLite, COPY on PostgreSQL.

Measured, in the same run and interleaved root by root (the order rotated): backward traces from
random finished units and forward traces from random raw lots and sublots, each
(a) through the library as a user calls it, `mes.genealogy.trace(lot=...|serial=...)` over the
    harness's system.db (`harness.core.db.DbService`: what the gateway, `genba trace` and views
    use) -- the figures `p50_ms_*`, `p99_ms_*` and `ratio_vs_cte`;
(b) the same library call over a thin system.db that hands the DB-API rows straight back (what a
    gateway's JDBC layer costs at least) -- `*_thin_db`;
(c) a hand-written recursive CTE on a bare DB-API connection answering the same question in one
    statement: the unit named by its number, every unit reached once at its smallest depth with
    kind, item and number, nearest first.
The rows of (a) and (b) are compared with those of (c) for every root. `ratio_vs_cte` is the median
over roots of (a)'s time over (c)'s time for the same root (adjacent in time, so load from other
processes mostly cancels), the larger of the two engines. Also printed: p50 over p50 per direction,
and p50 over p50 of all traces (`ratio_of_p50s_*`), which is unstable: backward traces take ~1 ms
and forward ones ~6 ms, so the median of the mix sits at the edge of one of the two groups.
Targets: p50 <= 20 ms and ratio_vs_cte <= 1.2 on both engines.

    python tests/benchmarks/bench_trace.py [--quick] [--pg-url URL | --no-postgres] [--samples N]
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from harness.core import migrations  # noqa: E402
from harness.core.db import DbService  # noqa: E402
from harness.core.library import ScriptLibrary  # noqa: E402
from harness.core.system.namespace import Namespace  # noqa: E402

MIGRATIONS = os.path.join(ROOT, "project", "db", "migrations")
EDGE_INDEXES = {
    "genealogy_edges_backward": "CREATE INDEX genealogy_edges_backward ON genealogy_edges (output_unit_id, input_unit_id, id)",
    "genealogy_edges_forward": "CREATE INDEX genealogy_edges_forward ON genealogy_edges (input_unit_id, output_unit_id, id)",
    "genealogy_edges_wo": "CREATE INDEX genealogy_edges_wo ON genealogy_edges (wo_id, op_seq)",
}
UNIT_INDEXES = {"mat_units_code": "CREATE INDEX mat_units_code ON mat_units (code, kind)"}
LOTS_PER_ASSEMBLY = 12
START = datetime.datetime(2026, 1, 5, 6, 0, 0)

# The hand-written baseline: what a DBA would type for a recall, answering the same question as the
# library (the unit named by its number, every unit reached once at its smallest depth with its
# kind, item and number, nearest first) in one statement.
CTE = {
    "backward": (
        "WITH RECURSIVE walk (unit_id, depth) AS ("
        "SELECT id, 0 FROM mat_units WHERE code = %s AND kind = %s UNION "
        "SELECT e.input_unit_id, w.depth + 1 FROM walk w JOIN genealogy_edges e ON e.output_unit_id = w.unit_id "
        "WHERE w.depth < %s) "
        "SELECT u.id, r.depth, u.kind, u.item_id, u.code FROM (SELECT unit_id, MIN(depth) AS depth FROM walk "
        "GROUP BY unit_id) r JOIN mat_units u ON u.id = r.unit_id ORDER BY r.depth, u.id"),
    "forward": (
        "WITH RECURSIVE walk (unit_id, depth) AS ("
        "SELECT id, 0 FROM mat_units WHERE code = %s AND kind = %s UNION "
        "SELECT e.output_unit_id, w.depth + 1 FROM walk w JOIN genealogy_edges e ON e.input_unit_id = w.unit_id "
        "WHERE w.depth < %s) "
        "SELECT u.id, r.depth, u.kind, u.item_id, u.code FROM (SELECT unit_id, MIN(depth) AS depth FROM walk "
        "GROUP BY unit_id) r JOIN mat_units u ON u.id = r.unit_id ORDER BY r.depth, u.id"),
}


# ------------------------------------------------------------------ the generated genealogy

class Genealogy(object):
    """Deterministic generated units and edges (generators, so 10M edges never sit in memory)."""

    def __init__(self, units, seed=7):
        self.raw = max(10, units * 5 // 100)
        self.sub = max(20, units * 20 // 100)
        self.assemblies = units - self.raw - self.sub
        self.units = units
        self.seed = seed
        self.finished = []  # unit ids at the top of a chain
        self._plan_chains()

    def _plan_chains(self):
        rng = random.Random(self.seed)
        lengths = []
        left = self.assemblies
        while left > 0:
            length = min(left, rng.randint(3, 9))
            lengths.append(length)
            left -= length
        self.chains = lengths
        first = self.raw + self.sub + 1
        for length in lengths:
            first += length
            self.finished.append(first - 1)

    def unit_rows(self):
        for uid in range(1, self.raw + 1):
            yield (uid, "lot", "RAW-%02d" % (uid % 40), "R%07d" % uid)
        for n in range(1, self.sub + 1):
            yield (self.raw + n, "lot", "RAW-%02d" % (n % 40), "S%07d" % n)
        uid = self.raw + self.sub
        for length in self.chains:
            for level in range(1, length + 1):
                uid += 1
                yield (uid, "serial", "ASSY-L%d" % level, "A%07d" % (uid - self.raw - self.sub))

    def edge_rows(self):
        """(id, input, output, kind, qty, uom, wo_id, op_seq, station, operator, at)."""
        rng = random.Random(self.seed + 1)
        edge_id = 0
        for n in range(1, self.sub + 1):
            sub_id = self.raw + n
            centre = (n - 1) * self.raw // self.sub + 1
            at = (START + datetime.timedelta(minutes=n)).strftime("%Y-%m-%d %H:%M:%S.%f")
            sources = [centre] if rng.random() < 0.8 else [centre, min(self.raw, centre + 1 + rng.randint(0, 3))]
            kind = "split" if len(sources) == 1 else "merge"
            for src in sorted(set(sources)):
                edge_id += 1
                yield (edge_id, src, sub_id, kind, 25.0, "KG", None, None, None, "mh%02d" % (n % 17), at)
        uid = self.raw + self.sub
        chains = len(self.chains)
        for c, length in enumerate(self.chains):
            centre = c * self.sub // chains
            wo = "WO-%07d" % (c // 10)
            at = (START + datetime.timedelta(minutes=3 * c)).strftime("%Y-%m-%d %H:%M:%S.%f")
            for level in range(1, length + 1):
                uid += 1
                station = "ST-%d" % level
                operator = "op%03d" % ((c + level) % 120)
                if level > 1:
                    edge_id += 1
                    yield (edge_id, uid - 1, uid, "assemble", 1.0, "EA", wo, level * 10, station, operator, at)
                picked = set()
                while len(picked) < LOTS_PER_ASSEMBLY:
                    picked.add(min(self.sub, max(1, centre + rng.randint(-100, 100))))
                for n in sorted(picked):
                    edge_id += 1
                    yield (edge_id, self.raw + n, uid, "consume", 0.2, "KG", wo, level * 10, station, operator, at)


# ------------------------------------------------------------------ loading

def _schema(url):
    service = DbService({"genba": url}, "genba")
    try:
        migrations.upgrade(service, MIGRATIONS)
    finally:
        service.close()


def load_sqlite(path, graph):
    url = "sqlite:///" + path
    _schema(url)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    for name in list(EDGE_INDEXES) + list(UNIT_INDEXES):
        conn.execute("DROP INDEX IF EXISTS " + name)
    started = time.perf_counter()
    conn.executemany("INSERT INTO mat_units (id, kind, item_id, code) VALUES (?, ?, ?, ?)", graph.unit_rows())
    edges = 0
    batch = []
    sql = ("INSERT INTO genealogy_edges (id, input_unit_id, output_unit_id, kind, qty, uom, wo_id, op_seq, station, "
           "operator, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    for row in graph.edge_rows():
        batch.append(row)
        if len(batch) == 200000:
            conn.executemany(sql, batch)
            edges += len(batch)
            batch = []
    conn.executemany(sql, batch)
    edges += len(batch)
    conn.commit()
    for ddl in list(EDGE_INDEXES.values()) + list(UNIT_INDEXES.values()):
        conn.execute(ddl)
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return url, edges, time.perf_counter() - started


def _copy_text(value):
    if value is None:
        return "\\N"
    return str(value)


def load_postgres(url, graph):
    import psycopg
    _schema(url)
    with psycopg.connect(url, autocommit=True) as conn:
        units = conn.execute("SELECT COUNT(*) FROM mat_units").fetchone()[0]
        if units == graph.units:  # a --pg-url database loaded by an earlier run
            edges = conn.execute("SELECT COUNT(*) FROM genealogy_edges").fetchone()[0]
            print("PostgreSQL: reusing %s (%d edges)" % (url, edges), file=sys.stderr)
            return edges, 0.0
    started = time.perf_counter()
    edges = 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET maintenance_work_mem = '512MB'")
        for name in list(EDGE_INDEXES) + list(UNIT_INDEXES):
            conn.execute("DROP INDEX IF EXISTS " + name)
        with conn.cursor() as cur:
            with cur.copy("COPY mat_units (id, kind, item_id, code) FROM STDIN") as copy:
                lines = []
                for row in graph.unit_rows():
                    lines.append("%d\t%s\t%s\t%s\n" % row)
                    if len(lines) == 100000:
                        copy.write("".join(lines))
                        lines = []
                copy.write("".join(lines))
            with cur.copy("COPY genealogy_edges (id, input_unit_id, output_unit_id, kind, qty, uom, wo_id, op_seq, "
                          "station, operator, at) FROM STDIN") as copy:
                lines = []
                for row in graph.edge_rows():
                    lines.append("\t".join(_copy_text(v) for v in row) + "\n")
                    if len(lines) == 100000:
                        copy.write("".join(lines))
                        edges += len(lines)
                        lines = []
                copy.write("".join(lines))
                edges += len(lines)
        for ddl in list(EDGE_INDEXES.values()) + list(UNIT_INDEXES.values()):
            conn.execute(ddl)
        conn.execute("SELECT setval(pg_get_serial_sequence('genealogy_edges', 'id'), %s)" % max(edges, 1))
        conn.execute("SELECT setval(pg_get_serial_sequence('mat_units', 'id'), %s)" % graph.units)
        conn.execute("ANALYZE")
    return edges, time.perf_counter() - started


# ------------------------------------------------------------------ measuring

class ThinDataset(object):
    """Column names and row tuples: the part of a PyDataSet the library reads."""

    def __init__(self, columns, rows):
        self.columns = columns
        self.rows = rows

    def getColumnNames(self):
        return self.columns

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    def getColumnAsList(self, index):
        return [row[index] for row in self.rows]

    def __iter__(self):
        return iter(self.rows)


class ThinDb(object):
    """system.db.runPrepQuery straight over one DB-API connection, as a gateway's JDBC layer does."""

    def __init__(self, url):
        if url.startswith("sqlite"):
            self.conn = sqlite3.connect(url[len("sqlite:///"):])
            self.translate = lambda sql: sql
        else:
            import psycopg
            from harness.core.sqltext import qmark_to_format
            self.conn = psycopg.connect(url, autocommit=True)
            self.translate = lambda sql: qmark_to_format(sql)[0]

    def runPrepQuery(self, sql, args=None, database="", tx=None):
        cur = self.conn.cursor()
        cur.execute(self.translate(sql), args or [])
        return ThinDataset([d[0] for d in cur.description], cur.fetchall())

    def close(self):
        self.conn.close()


class LibraryTrace(object):
    """mes.genealogy.trace as a view calls it, over the harness's system.db or a thin one."""

    def __init__(self, url, harness_db=True):
        self.service = DbService({"genba": url}, "genba") if harness_db else ThinDb(url)
        library = ScriptLibrary(os.path.join(ROOT, "project", "scripts"), {"system": Namespace("system", {"db": self.service})})
        self.trace = library.resolve("mes.genealogy.trace")

    def __call__(self, kind, code, direction):
        if kind == "lot":
            return self.trace(lot=code, direction=direction)
        return self.trace(serial=code, direction=direction)

    @staticmethod
    def rows(result):
        return [(n["unit_id"], n["depth"], n["kind"], n["item_id"], n["code"]) for n in result["nodes"]]

    def close(self):
        self.service.close()


class HandWrittenCte(object):
    """The baseline: the same rows from a hand-written recursive CTE on a bare DB-API connection."""

    def __init__(self, url):
        if url.startswith("sqlite"):
            self.conn = sqlite3.connect(url[len("sqlite:///"):])
            self.mark = "?"
        else:
            import psycopg
            self.conn = psycopg.connect(url, autocommit=True)
            self.mark = "%s"
        self.sql = dict((k, v.replace("%s", self.mark)) for k, v in CTE.items())

    def __call__(self, kind, code, direction):
        cur = self.conn.cursor()
        cur.execute(self.sql[direction], [code, kind, 10])
        return cur.fetchall()

    @staticmethod
    def rows(result):
        return [tuple(row) for row in result]

    def close(self):
        self.conn.close()


def roots(graph, samples, seed=11):
    rng = random.Random(seed)
    chosen = []
    for _ in range(samples):
        uid = rng.choice(graph.finished)
        chosen.append(("serial", "A%07d" % (uid - graph.raw - graph.sub), "backward"))
        if rng.random() < 0.5:
            chosen.append(("lot", "R%07d" % rng.randint(1, graph.raw), "forward"))
        else:
            chosen.append(("lot", "S%07d" % rng.randint(1, graph.sub), "forward"))
    return chosen


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def measure(url, graph, samples):
    """Every root traced by all three, in an order rotated root by root; the rows are compared."""
    contenders = [("library", LibraryTrace(url)), ("thin_db", LibraryTrace(url, harness_db=False)),
                  ("cte", HandWrittenCte(url))]
    timings = dict((name, []) for name, _ in contenders)
    by_direction = dict(((name, d), []) for name, _ in contenders for d in ("backward", "forward"))
    sizes = {"backward": [], "forward": []}
    try:
        for kind, code, direction in roots(graph, 5, seed=3):  # warm-up
            for _, fn in contenders:
                fn(kind, code, direction)
        for i, (kind, code, direction) in enumerate(roots(graph, samples)):
            order = contenders[i % 3:] + contenders[:i % 3]
            found = {}
            for name, fn in order:
                started = time.perf_counter()
                result = fn(kind, code, direction)
                timings[name].append((time.perf_counter() - started) * 1000.0)
                by_direction[(name, direction)].append(timings[name][-1])
                found[name] = fn.rows(result)
            for name in ("library", "thin_db"):
                if found[name] != found["cte"]:
                    raise AssertionError("trace of %s %s through %s: %d units, the CTE %d, or not the same rows"
                                         % (direction, code, name, len(found[name]), len(found["cte"])))
            sizes[direction].append(len(found["cte"]) - 1)
    finally:
        for _, fn in contenders:
            fn.close()
    cte_p50 = percentile(timings["cte"], 0.5)

    def paired(name):  # each root's time over the CTE's time for the same root, the median of those
        return percentile([a / b for a, b in zip(timings[name], timings["cte"])], 0.5)

    def directions(name):
        return dict((d, percentile(by_direction[(name, d)], 0.5) / percentile(by_direction[("cte", d)], 0.5))
                    for d in ("backward", "forward"))

    return {
        "paired_ratio": paired("library"), "thin_paired_ratio": paired("thin_db"),
        "direction_ratios": directions("library"), "thin_direction_ratios": directions("thin_db"),
        "direction_p50_ms": dict((d, percentile(by_direction[("library", d)], 0.5)) for d in ("backward", "forward")),
        "cte_direction_p50_ms": dict((d, percentile(by_direction[("cte", d)], 0.5)) for d in ("backward", "forward")),
        "p50_ms": percentile(timings["library"], 0.5), "p99_ms": percentile(timings["library"], 0.99),
        "cte_p50_ms": cte_p50, "cte_p99_ms": percentile(timings["cte"], 0.99),
        "ratio": percentile(timings["library"], 0.5) / cte_p50,
        "thin_p50_ms": percentile(timings["thin_db"], 0.5), "thin_p99_ms": percentile(timings["thin_db"], 0.99),
        "thin_ratio": percentile(timings["thin_db"], 0.5) / cte_p50,
        "units_backward_p50": percentile(sizes["backward"], 0.5), "units_forward_p50": percentile(sizes["forward"], 0.5),
        "units_forward_max": max(sizes["forward"]), "traces": len(timings["library"]),
    }


def start_postgres(workdir):
    from harness.pytest_db import PostgresServer, find_pg_bin
    bin_dir = find_pg_bin()
    if bin_dir is None:
        return None, None
    os.chmod(workdir, 0o755)  # the cluster runs as the postgres user when started by root
    server = PostgresServer(bin_dir, base_dir=os.path.join(workdir, "pg")).init()
    with open(os.path.join(server.data_dir, "postgresql.conf"), "a") as conf:
        conf.write("shared_buffers = '1GB'\nwork_mem = '64MB'\nmax_wal_size = '4GB'\n")
    server.start()
    return server, server.create_database("genealogy")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 units instead of 1,000,000 (under a minute)")
    parser.add_argument("--units", type=int, default=None, help="number of units (overrides --quick)")
    parser.add_argument("--samples", type=int, default=None, help="trace roots per direction (default 300, quick 100)")
    parser.add_argument("--pg-url", default=None, help="use this PostgreSQL database instead of a throw-away server (data already loaded by an earlier run is reused)")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--keep", default=None, metavar="DIR",
                        help="keep the generated SQLite database in DIR and reuse it when it is there")
    args = parser.parse_args(argv)
    units = args.units or (10000 if args.quick else 1000000)
    samples = args.samples or (100 if args.quick else 300)
    graph = Genealogy(units)
    workdir = tempfile.mkdtemp(prefix="genba-bench-trace-")
    results = {}
    server = None
    try:
        kept = os.path.join(args.keep, "genealogy-%d.db" % units) if args.keep else None
        if kept and os.path.exists(kept):
            sqlite_url, seconds = "sqlite:///" + kept, 0.0
            conn = sqlite3.connect(kept)
            edges = conn.execute("SELECT COUNT(*) FROM genealogy_edges").fetchone()[0]
            conn.close()
            print("SQLite: reusing %s (%d edges)" % (kept, edges), file=sys.stderr)
        else:
            path = kept or os.path.join(workdir, "genealogy.db")
            if kept:
                os.makedirs(args.keep, exist_ok=True)
            sqlite_url, edges, seconds = load_sqlite(path, graph)
            print("SQLite: loaded %d units, %d edges in %.1f s" % (units, edges, seconds), file=sys.stderr)
        results["sqlite"] = measure(sqlite_url, graph, samples)
        results["sqlite"]["load_s"] = seconds
        pg_url = args.pg_url
        if pg_url is None and not args.no_postgres:
            server, pg_url = start_postgres(workdir)
        if pg_url:
            try:
                pg_edges, seconds = load_postgres(pg_url, graph)
                if seconds:
                    print("PostgreSQL: loaded %d units, %d edges in %.1f s" % (units, pg_edges, seconds), file=sys.stderr)
                results["postgres"] = measure(pg_url, graph, samples)
                results["postgres"]["load_s"] = seconds
            except Exception as error:  # report SQLite figures even when the PostgreSQL part fails
                print("PostgreSQL part failed: %r" % (error,), file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print("mes.genealogy.trace through the harness's system.db (the user path: gateway, genba trace) and "
          "through a thin system.db on one DB-API connection, against the hand-written CTE:")
    print("%-11s %-12s %10s %10s %10s %10s %8s %10s %10s %8s" % (
        "engine", "system.db", "p50 ms", "p99 ms", "cte p50", "cte p99", "ratio*", "back p50", "fwd p50", "load s"))
    for engine in ("sqlite", "postgres"):
        r = results.get(engine)
        if r:
            for path, p50, p99, ratio in (("harness", r["p50_ms"], r["p99_ms"], r["paired_ratio"]),
                                          ("thin", r["thin_p50_ms"], r["thin_p99_ms"], r["thin_paired_ratio"])):
                print("%-11s %-12s %10.2f %10.2f %10.2f %10.2f %8.2f %10d %10d %8.1f" % (
                    engine, path, p50, p99, r["cte_p50_ms"], r["cte_p99_ms"], ratio,
                    r["units_backward_p50"], r["units_forward_p50"], r["load_s"]))
    for engine in ("sqlite", "postgres"):
        r = results.get(engine)
        if r:
            print("%-11s per direction p50 ms (cte): backward %.2f (%.2f), forward %.2f (%.2f); ratio harness "
                  "backward %.2f forward %.2f, thin backward %.2f forward %.2f; median of per-root ratios "
                  "harness %.2f, thin %.2f" % (
                      engine, r["direction_p50_ms"]["backward"], r["cte_direction_p50_ms"]["backward"],
                      r["direction_p50_ms"]["forward"], r["cte_direction_p50_ms"]["forward"],
                      r["direction_ratios"]["backward"], r["direction_ratios"]["forward"],
                      r["thin_direction_ratios"]["backward"], r["thin_direction_ratios"]["forward"],
                      r["paired_ratio"], r["thin_paired_ratio"]))
    print("* ratio: median over roots of the trace's time over the CTE's time for the same root")

    def figure(engine, key, digits=2):
        return round(results[engine][key], digits) if engine in results else None

    figures = {
        "bench": "trace", "units": units, "edges": edges, "traces_per_engine": 2 * samples,
        "path": "harness system.db",
        "p50_ms_sqlite": figure("sqlite", "p50_ms"), "p99_ms_sqlite": figure("sqlite", "p99_ms"),
        "p50_ms_postgres": figure("postgres", "p50_ms"), "p99_ms_postgres": figure("postgres", "p99_ms"),
        "cte_p50_ms_sqlite": figure("sqlite", "cte_p50_ms"), "cte_p50_ms_postgres": figure("postgres", "cte_p50_ms"),
        "ratio_vs_cte_sqlite": figure("sqlite", "paired_ratio", 3),
        "ratio_vs_cte_postgres": figure("postgres", "paired_ratio", 3),
        "ratio_vs_cte": round(max(r["paired_ratio"] for r in results.values()), 3),
        "p50_ms_sqlite_thin_db": figure("sqlite", "thin_p50_ms"), "p50_ms_postgres_thin_db": figure("postgres", "thin_p50_ms"),
        "ratio_vs_cte_thin_db": round(max(r["thin_paired_ratio"] for r in results.values()), 3),
        "ratio_of_p50s_sqlite": figure("sqlite", "ratio", 3), "ratio_of_p50s_postgres": figure("postgres", "ratio", 3),
        "ratio_by_direction_sqlite": dict((d, round(v, 3)) for d, v in results["sqlite"]["direction_ratios"].items()),
        "ratio_by_direction_postgres": (dict((d, round(v, 3)) for d, v in results["postgres"]["direction_ratios"].items())
                                        if "postgres" in results else None),
        "target": "p50_ms <= 20 and ratio_vs_cte <= 1.2",
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
