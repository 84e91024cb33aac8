-- Genealogy: one edge per material flow from an input unit (lot or serial) to an output unit,
-- made by consumption, assembly, split and merge; carries the work order, operation, station,
-- operator, time and the measurement ids (JSON list in TEXT) taken on the output.
-- Two covering indexes serve the two trace directions on SQLite and PostgreSQL alike: a backward
-- step looks up output_unit_id and reads input_unit_id and id from the index alone; a forward
-- step does the same the other way round.

CREATE TABLE genealogy_edges (
    id {{id}},
    input_unit_id BIGINT NOT NULL REFERENCES mat_units (id),
    output_unit_id BIGINT NOT NULL REFERENCES mat_units (id),
    kind TEXT NOT NULL CHECK (kind IN ('consume', 'assemble', 'split', 'merge')),
    qty DOUBLE PRECISION,
    uom TEXT,
    wo_id TEXT,
    op_seq INTEGER,
    station TEXT,
    operator TEXT,
    at TIMESTAMP NOT NULL,
    measurement_refs TEXT,
    CHECK (input_unit_id <> output_unit_id)
);

CREATE INDEX genealogy_edges_backward ON genealogy_edges (output_unit_id, input_unit_id, id);

CREATE INDEX genealogy_edges_forward ON genealogy_edges (input_unit_id, output_unit_id, id);

CREATE INDEX genealogy_edges_wo ON genealogy_edges (wo_id, op_seq);
