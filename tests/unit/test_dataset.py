"""system.dataset and PyDataSet behave as Ignition's (IGNITION.md §9)."""
import datetime

import pytest

from harness.core.dataset import (BasicDataset, DatasetError, PyDataSet, dataset_from_json, dataset_to_json,
                                  make_dataset_functions)

sd = make_dataset_functions()


@pytest.fixture
def lots():
    return sd.toDataSet(["lot", "qty", "ok"], [["L1", 5, True], ["L2", 7, False], ["L10", 1, None]])


def test_to_dataset_infers_java_column_types_from_first_non_null_value(lots):
    assert lots.getColumnTypes() == ["java.lang.String", "java.lang.Integer", "java.lang.Boolean"]


def test_integer_column_widens_to_double_when_a_float_follows():
    ds = sd.toDataSet(["x"], [[1], [2.5]])
    assert ds.getColumnType(0) == "java.lang.Double"


def test_pydataset_indexing_by_position_and_name(lots):
    py = sd.toPyDataSet(lots)
    assert len(py) == 3
    assert py[1][0] == "L2"
    assert py[1]["qty"] == 7
    assert py[-1]["lot"] == "L10"
    assert [row["lot"] for row in py] == ["L1", "L2", "L10"]
    assert list(py[0]) == ["L1", 5, True]


def test_pydataset_accessors(lots):
    py = sd.toPyDataSet(lots)
    assert py.getColumnNames() == ["lot", "qty", "ok"]
    assert py.getColumnIndex("qty") == 1
    assert py.getColumnIndex("missing") == -1
    assert py.getColumnName(2) == "ok"
    assert py.getValueAt(0, "qty") == 5
    assert py.getValueAt(0, 1) == 5
    assert (py.getRowCount(), py.getColumnCount()) == (3, 3)
    assert py.getUnderlyingDataset() is lots


def test_unknown_column_name_is_an_error_naming_the_column(lots):
    with pytest.raises(DatasetError, match="'nope'"):
        sd.toPyDataSet(lots)[0]["nope"]


def test_to_dataset_unwraps_a_pydataset(lots):
    assert sd.toDataSet(sd.toPyDataSet(lots)) is lots


def test_datasets_are_immutable_every_function_returns_a_new_one(lots):
    added = sd.addRow(lots, ["L3", 2, True])
    assert lots.getRowCount() == 3
    assert added.getRowCount() == 4
    assert added.getValueAt(3, "lot") == "L3"


def test_add_row_at_index_inserts_before_that_row(lots):
    ds = sd.addRow(lots, 0, ["L0", 0, False])
    assert ds.getColumnAsList("lot") == ["L0", "L1", "L2", "L10"]


def test_add_row_with_wrong_width_names_the_row(lots):
    with pytest.raises(DatasetError, match=r"\['L3'\] has 1 values"):
        sd.addRow(lots, ["L3"])


def test_add_rows_delete_rows_set_value_update_row(lots):
    ds = sd.addRows(lots, [["A", 1, True], ["B", 2, False]])
    assert ds.getColumnAsList("lot") == ["L1", "L2", "L10", "A", "B"]
    ds = sd.deleteRows(ds, [0, 2])
    assert ds.getColumnAsList("lot") == ["L2", "A", "B"]
    ds = sd.deleteRow(ds, 0)
    assert ds.getColumnAsList("lot") == ["A", "B"]
    ds = sd.setValue(ds, 1, "qty", 9)
    assert ds.getValueAt(1, "qty") == 9
    ds = sd.updateRow(ds, 0, {"qty": 4, "ok": False})
    assert list(ds.rows[0]) == ["A", 4, False]


def test_add_column_appends_or_inserts_with_type(lots):
    ds = sd.addColumn(lots, [1.0, 2.0, 3.0], "weight", float)
    assert ds.getColumnNames() == ["lot", "qty", "ok", "weight"]
    assert ds.getColumnType(3) == "java.lang.Double"
    ds = sd.addColumn(lots, 0, ["a", "b", "c"], "tag", "java.lang.String")
    assert ds.getColumnNames() == ["tag", "lot", "qty", "ok"]


def test_filter_columns_keeps_the_given_order(lots):
    ds = sd.filterColumns(lots, ["qty", "lot"])
    assert ds.getColumnNames() == ["qty", "lot"]
    assert list(ds.rows[0]) == [5, "L1"]
    assert sd.filterColumns(lots, "ok, lot").getColumnNames() == ["ok", "lot"]


def test_sort_uses_natural_ordering_and_is_stable(lots):
    assert sd.sort(lots, "lot").getColumnAsList("lot") == ["L1", "L2", "L10"]
    assert sd.sort(lots, "lot", naturalOrdering=False).getColumnAsList("lot") == ["L1", "L10", "L2"]
    assert sd.sort(lots, "qty", False).getColumnAsList("qty") == [7, 5, 1]
    assert sd.sort(lots, "ok").getColumnAsList("ok") == [None, False, True]


def test_clear_and_append(lots):
    empty = sd.clearDataset(lots)
    assert empty.getRowCount() == 0
    assert empty.getColumnNames() == lots.getColumnNames()
    both = sd.appendDataset(lots, lots)
    assert both.getRowCount() == 6
    with pytest.raises(DatasetError, match="columns"):
        sd.appendDataset(lots, sd.toDataSet(["x"], [[1]]))


def test_get_column_headers(lots):
    assert sd.getColumnHeaders(lots) == ["lot", "qty", "ok"]


def test_csv_quotes_values_and_leaves_null_empty():
    ds = sd.toDataSet(["a", "b"], [[1, 'say "hi"'], [None, ""]])
    assert sd.toCSV(ds) == '"a","b"\n"1","say ""hi"""\n,""\n'
    assert sd.toCSV(ds, showHeaders=False) == '"1","say ""hi"""\n,""\n'


def test_csv_export_form_round_trips_types_nulls_and_dates():
    when = datetime.datetime(2026, 1, 5, 6, 0, 0, 250000)
    ds = BasicDataset(["n", "big", "x", "flag", "s", "t"],
                      [[1, 2 ** 40, 1.5, True, u"caf\u00e9, \"x\"\nline", when], [None, None, None, None, None, None]])
    csv = sd.toCSV(ds, forExport=True)
    assert csv.startswith('#NAMES\n"n","big","x","flag","s","t"\n#TYPES\n"I","L","D","B","str","date"\n#ROWS\n"2"\n')
    assert sd.fromCSV(csv) == ds


def test_from_csv_rejects_text_without_the_export_header():
    with pytest.raises(DatasetError, match="forExport"):
        sd.fromCSV('"a"\n"1"\n')


def test_tag_export_json_round_trip_with_dates_as_epoch_millis():
    doc = {"columns": [{"name": "id", "type": "java.lang.Integer"}, {"name": "when", "type": "java.util.Date"},
                       {"name": "name", "type": "java.lang.String"}],
           "rows": [[1, 1767592800000, "a"], [2, None, None]]}
    ds = dataset_from_json(doc)
    assert ds.getValueAt(0, "when") == datetime.datetime(2026, 1, 5, 6, 0)
    assert ds.getColumnTypes() == ["java.lang.Integer", "java.util.Date", "java.lang.String"]
    assert dataset_to_json(ds) == doc


def test_dataset_json_accepts_the_json_text_form():
    ds = dataset_from_json('{"columns":[{"name":"v","type":"java.lang.Double"}],"rows":[[1],[2.5]]}')
    assert ds.getColumnAsList("v") == [1.0, 2.5]


def test_pyrow_equals_list_and_pydataset_equals_its_dataset(lots):
    py = PyDataSet(lots)
    assert py[0] == ["L1", 5, True]
    assert py == lots


def test_a_dataset_over_driver_rows_infers_its_column_types_when_first_asked():
    ds = BasicDataset.from_tuples(["id", "note", "empty"], [(1, None, None), (2 ** 40, "x", None)])
    assert ds.getColumnTypes() == ["java.lang.Long", "java.lang.String", "java.lang.Object"]
    assert ds == BasicDataset(["id", "note", "empty"], [[1, None, None], [2 ** 40, "x", None]])


def test_get_column_as_list_returns_a_new_list_by_index_or_name(lots):
    ds = PyDataSet(lots)
    qty = ds.getColumnAsList("qty")
    qty.append(99)
    assert (qty[:3], ds.getColumnAsList(1), ds.getColumnAsList(0)) == ([5, 7, 1], [5, 7, 1], ["L1", "L2", "L10"])
    assert BasicDataset.from_tuples(["a", "b"], []).getColumnAsList("b") == []
