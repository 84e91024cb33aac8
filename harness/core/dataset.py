"""Ignition datasets: BasicDataset, PyDataSet, the `system.dataset` functions and the tag-export JSON form.

Python 2.7/3 common subset (runs on Jython). Datasets are immutable: every `system.dataset`
function returns a new `BasicDataset`. Column types are named by their Java class, as Ignition
reports them (`java.lang.Integer`, `java.lang.String`, `java.util.Date`, ...). When a dataset is
built from Python values the type of each column is taken from its first non-None value
(`bool` -> Boolean, int -> Integer or Long past 32 bits, float -> Double, text -> String,
datetime -> Date, anything else or all-None -> Object).

CSV (`toCSV`/`fromCSV`): every non-null value is double-quoted (quotes doubled), None is an empty
unquoted field, lines end with "\\n", datetimes are written `YYYY-MM-DD HH:MM:SS.ffffff`. The export
form (`toCSV(ds, forExport=True)`, the only form `fromCSV` reads) is the Ignition layout
`#NAMES` / names / `#TYPES` / type codes / `#ROWS` / count / rows, with the type codes
I (Integer), L (Long), D (Double), F (Float), B (Boolean), str (String), date (Date), O (Object).
"""
from __future__ import absolute_import, division, print_function

import datetime
import re

__all__ = ["BasicDataset", "DatasetError", "DatasetFunctions", "PyDataSet", "PyRow",
           "dataset_from_json", "dataset_to_json", "infer_type", "make_dataset_functions"]

from harness.core.compat import integer_types, string_types, text_type

INTEGER = "java.lang.Integer"
LONG = "java.lang.Long"
SHORT = "java.lang.Short"
BYTE = "java.lang.Byte"
DOUBLE = "java.lang.Double"
FLOAT = "java.lang.Float"
BOOLEAN = "java.lang.Boolean"
STRING = "java.lang.String"
DATE = "java.util.Date"
OBJECT = "java.lang.Object"

_INT_TYPES = (INTEGER, LONG, SHORT, BYTE)
_FLOAT_TYPES = (DOUBLE, FLOAT)

#: Accepted spellings of a column type (addColumn, JSON, CSV) -> the Java class name.
_TYPE_ALIASES = {
    "int": INTEGER, "integer": INTEGER, "i": INTEGER, "int4": INTEGER, "java.lang.integer": INTEGER,
    "long": LONG, "l": LONG, "int8": LONG, "java.lang.long": LONG,
    "short": SHORT, "java.lang.short": SHORT, "byte": BYTE, "java.lang.byte": BYTE,
    "float": DOUBLE, "double": DOUBLE, "d": DOUBLE, "float8": DOUBLE, "java.lang.double": DOUBLE,
    "f": FLOAT, "float4": FLOAT, "java.lang.float": FLOAT,
    "bool": BOOLEAN, "boolean": BOOLEAN, "b": BOOLEAN, "java.lang.boolean": BOOLEAN,
    "str": STRING, "string": STRING, "unicode": STRING, "text": STRING, "java.lang.string": STRING,
    "date": DATE, "datetime": DATE, "java.util.date": DATE, "java.sql.timestamp": DATE,
    "object": OBJECT, "o": OBJECT, "java.lang.object": OBJECT,
}

_CSV_CODES = {INTEGER: "I", LONG: "L", SHORT: "I", BYTE: "I", DOUBLE: "D", FLOAT: "F",
              BOOLEAN: "B", STRING: "str", DATE: "date", OBJECT: "O"}

_EPOCH = datetime.datetime(1970, 1, 1)
_INT32_MAX = 2147483647
_INT32_MIN = -2147483648


class DatasetError(ValueError):
    """A dataset operation was given a bad row, column, index or shape."""


def normalize_type(type_name):
    """Return the Java class name for a column type given as a class name, short name or Python type."""
    if isinstance(type_name, type):
        type_name = {bool: "bool", int: "int", float: "float", str: "str",
                     datetime.datetime: "date"}.get(type_name, getattr(type_name, "__name__", "object"))
    key = text_type(type_name).strip().lower()
    if key in _TYPE_ALIASES:
        return _TYPE_ALIASES[key]
    raise DatasetError("Unknown column type %r; use a Java class name such as 'java.lang.Integer'." % (type_name,))


def infer_type(value):
    """The Java class name Ignition would give a column whose first value is `value`."""
    if value is None:
        return OBJECT
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, integer_types):
        if _INT32_MIN <= value <= _INT32_MAX:
            return INTEGER
        return LONG
    if isinstance(value, float):
        return DOUBLE
    if isinstance(value, string_types):
        return STRING
    if isinstance(value, datetime.datetime) or hasattr(value, "getTime"):
        return DATE
    return OBJECT


def _widen(current, value):
    """Column type after seeing one more value (Integer widens to Long, ints to Double)."""
    found = infer_type(value)
    if value is None or found == current:
        return current
    if current == OBJECT:
        return found
    if current == INTEGER and found == LONG:
        return LONG
    if current in _INT_TYPES and found == DOUBLE:
        return DOUBLE
    if current == DOUBLE and found in _INT_TYPES:
        return DOUBLE
    if current == LONG and found == INTEGER:
        return LONG
    return current


#: column names -> (names, name -> index) of datasets made by `from_tuples`; shared, never changed.
_SHAPES = {}


class BasicDataset(object):
    """An immutable table: column names, column types (Java class names) and rows (tuples)."""

    def __init__(self, columnNames, rows=(), columnTypes=None):
        names = [text_type(n) for n in columnNames]
        if len(set(names)) != len(names):
            raise DatasetError("Duplicate column name in %r." % (names,))
        data = []
        for index, row in enumerate(rows):
            row = tuple(row)
            if len(row) != len(names):
                raise DatasetError("Row %d has %d values but the dataset has %d columns %r."
                                   % (index, len(row), len(names), names))
            data.append(row)
        if columnTypes is None:
            types = None  # inferred from the values when first asked for
        else:
            types = [normalize_type(t) for t in columnTypes]
            if len(types) != len(names):
                raise DatasetError("%d column types given for %d columns %r." % (len(types), len(names), names))
            types = tuple(types)
        self._names = tuple(names)
        self._inferred = types
        self._rows = tuple(data)
        self._columns = None
        self._index = dict((n, i) for i, n in enumerate(names))

    @classmethod
    def from_tuples(cls, columnNames, rows):
        """A dataset over rows that are already tuples of the right width (a driver's result):
        kept as they are, without copying or checking each row; column types inferred on demand."""
        ds = cls.__new__(cls)
        key = tuple(columnNames)
        shape = _SHAPES.get(key)
        if shape is None:
            names = tuple(text_type(n) for n in columnNames)
            if len(set(names)) != len(names):
                raise DatasetError("Duplicate column name in %r." % (list(names),))
            shape = (names, dict((n, i) for i, n in enumerate(names)))
            if len(_SHAPES) >= 512:
                _SHAPES.clear()
            _SHAPES[key] = shape
        ds._names, ds._index = shape
        ds._inferred = None
        ds._rows = rows if isinstance(rows, tuple) else tuple(rows)
        ds._columns = None
        return ds

    @property
    def _types(self):
        """Column types: given, or the widest type of each column's values (computed once)."""
        types = self._inferred
        if types is None:
            found = []
            for c in range(len(self._names)):
                t = OBJECT
                for row in self._rows:
                    t = _widen(t, row[c])
                found.append(t)
            types = self._inferred = tuple(found)
        return types

    # -- the Dataset interface -------------------------------------------------------------
    def getColumnNames(self):
        """Column names, in order, as a list."""
        return list(self._names)

    def getColumnTypes(self):
        """Column types (Java class names), in order, as a list."""
        return list(self._types)

    def getColumnCount(self):
        return len(self._names)

    def getRowCount(self):
        return len(self._rows)

    def getColumnName(self, index):
        return self._names[self._column(index)]

    def getColumnType(self, index):
        return self._types[self._column(index)]

    def getColumnIndex(self, name):
        """Index of column `name`, or -1 when there is none (as Ignition's Dataset)."""
        return self._index.get(text_type(name), -1)

    def getValueAt(self, row, column):
        """The value at `row` (int) and `column` (index or name)."""
        return self._rows[self._row(row)][self._column(column)]

    def getColumnAsList(self, column):
        """The values of one column (index or name), as a new list."""
        c = self._column(column)
        columns = self._columns
        if columns is None:  # all columns at once: one transposition instead of a loop per column
            columns = self._columns = list(zip(*self._rows)) if self._rows else [()] * len(self._names)
        return list(columns[c])

    def getUnderlyingDataset(self):
        return self

    # -- helpers -----------------------------------------------------------------------------
    def _column(self, column):
        if isinstance(column, string_types):
            index = self._index.get(text_type(column))
            if index is None:
                raise DatasetError("No column %r; the columns are %r." % (column, list(self._names)))
            return index
        if isinstance(column, bool) or not isinstance(column, integer_types):
            raise DatasetError("Column must be a name or an index, not %r." % (column,))
        if column < 0 or column >= len(self._names):
            raise DatasetError("Column index %r is out of range 0..%d." % (column, len(self._names) - 1))
        return column

    def _row(self, row):
        if isinstance(row, bool) or not isinstance(row, integer_types):
            raise DatasetError("Row index must be an integer, not %r." % (row,))
        if row < 0 or row >= len(self._rows):
            raise DatasetError("Row index %r is out of range 0..%d." % (row, len(self._rows) - 1))
        return row

    @property
    def rows(self):
        """The rows as a tuple of tuples (harness convenience)."""
        return self._rows

    def __eq__(self, other):
        if not isinstance(other, BasicDataset):
            return NotImplemented
        return (self._names == other._names and self._types == other._types
                and self._rows == other._rows)

    def __ne__(self, other):
        result = self.__eq__(other)
        if result is NotImplemented:
            return result
        return not result

    __hash__ = None

    def __repr__(self):
        return "Dataset [%dR x %dC]" % (len(self._rows), len(self._names))

    __str__ = __repr__


class PyRow(object):
    """One row of a PyDataSet: `row[0]`, `row["col"]`, `len(row)`, iteration over the values."""

    __slots__ = ("_ds", "_values")

    def __init__(self, dataset, values):
        self._ds = dataset
        self._values = values

    def __getitem__(self, key):
        if isinstance(key, slice):
            return list(self._values[key])
        if isinstance(key, string_types):
            return self._values[self._ds._column(key)]
        if isinstance(key, integer_types) and -len(self._values) <= key < 0:
            key += len(self._values)
        return self._values[self._ds._column(key)]

    def __len__(self):
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def __eq__(self, other):
        if isinstance(other, PyRow):
            return self._values == other._values
        if isinstance(other, (list, tuple)):
            return tuple(self._values) == tuple(other)
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        if result is NotImplemented:
            return result
        return not result

    __hash__ = None

    def __repr__(self):
        return repr(list(self._values))

    def __str__(self):
        return str(list(self._values))


class PyDataSet(object):
    """The script-friendly wrapper around a dataset: `len(ds)`, `ds[r][c]`, `ds[r]["col"]`, iteration."""

    def __init__(self, dataset):
        if isinstance(dataset, PyDataSet):
            dataset = dataset.getUnderlyingDataset()
        self._ds = dataset

    def __len__(self):
        return self._ds.getRowCount()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [PyRow(self._ds, r) for r in self._ds.rows[index]]
        if isinstance(index, integer_types) and not isinstance(index, bool) and index < 0:
            index += self._ds.getRowCount()
        return PyRow(self._ds, self._ds.rows[self._ds._row(index)])

    def __iter__(self):
        ds = self._ds
        for values in ds.rows:
            yield PyRow(ds, values)

    def __eq__(self, other):
        if isinstance(other, PyDataSet):
            return self._ds == other._ds
        if isinstance(other, BasicDataset):
            return self._ds == other
        return NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        if result is NotImplemented:
            return result
        return not result

    __hash__ = None

    def getColumnNames(self):
        return self._ds.getColumnNames()

    def getColumnTypes(self):
        return self._ds.getColumnTypes()

    def getColumnIndex(self, name):
        return self._ds.getColumnIndex(name)

    def getColumnName(self, index):
        return self._ds.getColumnName(index)

    def getColumnType(self, index):
        return self._ds.getColumnType(index)

    def getValueAt(self, row, column):
        return self._ds.getValueAt(row, column)

    def getRowCount(self):
        return self._ds.getRowCount()

    def getColumnCount(self):
        return self._ds.getColumnCount()

    def getColumnAsList(self, column):
        return self._ds.getColumnAsList(column)

    def getUnderlyingDataset(self):
        return self._ds

    @property
    def rows(self):
        return self._ds.rows

    def _column(self, column):
        return self._ds._column(column)

    def _row(self, row):
        return self._ds._row(row)

    def __repr__(self):
        return "<PyDataset rows:%d cols:%d>" % (self._ds.getRowCount(), self._ds.getColumnCount())

    __str__ = __repr__


def _as_basic(ds):
    if isinstance(ds, PyDataSet):
        return ds.getUnderlyingDataset()
    if isinstance(ds, BasicDataset):
        return ds
    raise DatasetError("Expected a dataset, got %r." % (ds,))


def _natural_key(value):
    parts = re.split(r"(\d+)", value)
    return [(0, int(p), p) if p.isdigit() else (1, 0, p) for p in parts if p != ""]


def _format_datetime(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.") + ("%06d" % value.microsecond)
    return text_type(value)


def _parse_datetime(text):
    text = text.strip().replace("T", " ")
    if text.endswith("Z"):
        text = text[:-1]
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            pass
    raise DatasetError("Cannot read %r as a date; expected YYYY-MM-DD HH:MM:SS[.ffffff]." % (text,))


def _coerce(value, type_name):
    """Convert a value read from text/JSON to the column type."""
    if value is None:
        return None
    if type_name in _INT_TYPES:
        if isinstance(value, string_types):
            value = value.strip()
            if value == "":
                return None
            return int(float(value)) if "." in value or "e" in value.lower() else int(value)
        return int(value)
    if type_name in _FLOAT_TYPES:
        if isinstance(value, string_types) and value.strip() == "":
            return None
        return float(value)
    if type_name == BOOLEAN:
        if isinstance(value, string_types):
            v = value.strip().lower()
            if v in ("true", "1", "yes"):
                return True
            if v in ("false", "0", "no"):
                return False
            if v == "":
                return None
            raise DatasetError("Cannot read %r as a boolean." % (value,))
        return bool(value)
    if type_name == DATE:
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, integer_types) or isinstance(value, float):
            return _EPOCH + datetime.timedelta(milliseconds=value)
        return _parse_datetime(text_type(value))
    if type_name == STRING:
        return text_type(value)
    return value


# -- CSV ----------------------------------------------------------------------------------------

def _csv_field(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, datetime.datetime):
        value = _format_datetime(value)
    elif isinstance(value, float):
        value = repr(value)
    else:
        value = text_type(value)
    return '"' + value.replace('"', '""') + '"'


def _csv_records(text):
    """Parse CSV into records of fields; a quoted field is text, an unquoted empty field is None."""
    records = []
    fields = []
    i = 0
    n = len(text)
    while i < n:
        if text[i] == '"':
            i += 1
            chunks = []
            while True:
                j = text.find('"', i)
                if j < 0:
                    raise DatasetError("Unterminated quoted field in CSV.")
                chunks.append(text[i:j])
                if j + 1 < n and text[j + 1] == '"':
                    chunks.append('"')
                    i = j + 2
                else:
                    i = j + 1
                    break
            value = "".join(chunks)
        else:
            j = i
            while j < n and text[j] not in ",\r\n":
                j += 1
            value = text[i:j] if j > i else None
            i = j
        fields.append(value)
        if i >= n:
            break
        ch = text[i]
        if ch == ",":
            i += 1
            if i >= n:
                fields.append(None)
            continue
        if ch in "\r\n":
            i += 2 if (ch == "\r" and i + 1 < n and text[i + 1] == "\n") else 1
            records.append(fields)
            fields = []
            continue
        raise DatasetError("Unexpected %r after a quoted CSV field." % (ch,))
    if fields:
        records.append(fields)
    return records


# -- JSON (tag exports) ----------------------------------------------------------------------------

def dataset_to_json(ds):
    """The tag-export form `{"columns": [{"name", "type"}], "rows": [[...]]}`; dates as epoch millis (UTC)."""
    ds = _as_basic(ds)
    rows = []
    for row in ds.rows:
        out = []
        for value in row:
            if isinstance(value, datetime.datetime):
                delta = value - _EPOCH
                value = (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
            out.append(value)
        rows.append(out)
    return {"columns": [{"name": n, "type": t} for n, t in zip(ds.getColumnNames(), ds.getColumnTypes())],
            "rows": rows}


def dataset_from_json(document):
    """Build a BasicDataset from the tag-export form (a dict, or its JSON text)."""
    if isinstance(document, string_types):
        import json
        document = json.loads(document)
    if not isinstance(document, dict) or "columns" not in document:
        raise DatasetError("A dataset document needs 'columns' and 'rows', got %r." % (document,))
    names = []
    types = []
    for column in document.get("columns") or []:
        names.append(column["name"])
        types.append(normalize_type(column.get("type") or OBJECT))
    rows = []
    for row in document.get("rows") or []:
        if len(row) != len(names):
            raise DatasetError("Row %r does not have %d values." % (row, len(names)))
        rows.append([_coerce(v, t) for v, t in zip(row, types)])
    return BasicDataset(names, rows, types)


# -- system.dataset --------------------------------------------------------------------------------

class DatasetFunctions(object):
    """The `system.dataset` namespace. Every function returns a new dataset."""

    def toDataSet(self, headers, rows=None):
        """`toDataSet(headers, rows)` builds a dataset; `toDataSet(pyDataSet)` unwraps one."""
        if rows is None:
            if isinstance(headers, (PyDataSet, BasicDataset)):
                return _as_basic(headers)
            raise DatasetError("toDataSet needs headers and rows, or a PyDataSet; got %r." % (headers,))
        return BasicDataset(list(headers), [list(r) for r in rows])

    def toPyDataSet(self, dataset):
        return PyDataSet(_as_basic(dataset))

    def getColumnHeaders(self, dataset):
        return _as_basic(dataset).getColumnNames()

    def _rebuild(self, ds, rows, names=None, types=None):
        return BasicDataset(ds.getColumnNames() if names is None else names, rows,
                            ds.getColumnTypes() if types is None else types)

    def _checked_row(self, ds, row):
        row = list(row)
        if len(row) != ds.getColumnCount():
            raise DatasetError("Row %r has %d values but the dataset has %d columns %r."
                               % (row, len(row), ds.getColumnCount(), ds.getColumnNames()))
        return [self._fit(v, t) for v, t in zip(row, ds.getColumnTypes())]

    @staticmethod
    def _fit(value, type_name):
        if value is None or type_name == OBJECT:
            return value
        if type_name in _FLOAT_TYPES and isinstance(value, integer_types) and not isinstance(value, bool):
            return float(value)
        found = infer_type(value)
        if found == type_name or (type_name == LONG and found == INTEGER) or \
                (type_name in _INT_TYPES and found in _INT_TYPES):
            return value
        try:
            return _coerce(value, type_name)
        except (ValueError, TypeError):
            raise DatasetError("Value %r does not fit a column of type %s." % (value, type_name))

    def addRow(self, dataset, rowIndex, row=None):
        """`addRow(ds, row)` appends; `addRow(ds, rowIndex, row)` inserts before rowIndex."""
        if row is None:
            rowIndex, row = None, rowIndex
        return self.addRows(dataset, rowIndex, [row])

    def addRows(self, dataset, rowIndex, rows=None):
        """`addRows(ds, rows)` appends; `addRows(ds, rowIndex, rows)` inserts before rowIndex."""
        if rows is None:
            rowIndex, rows = None, rowIndex
        ds = _as_basic(dataset)
        existing = list(ds.rows)
        new = [tuple(self._checked_row(ds, r)) for r in rows]
        if rowIndex is None:
            rowIndex = len(existing)
        if rowIndex < 0 or rowIndex > len(existing):
            raise DatasetError("Row index %r is out of range 0..%d." % (rowIndex, len(existing)))
        return self._rebuild(ds, existing[:rowIndex] + new + existing[rowIndex:])

    def deleteRow(self, dataset, rowIndex):
        return self.deleteRows(dataset, [rowIndex])

    def deleteRows(self, dataset, rowIndices):
        ds = _as_basic(dataset)
        doomed = set(ds._row(i) for i in rowIndices)
        return self._rebuild(ds, [r for i, r in enumerate(ds.rows) if i not in doomed])

    def setValue(self, dataset, rowIndex, columnNameOrIndex, value):
        ds = _as_basic(dataset)
        r = ds._row(rowIndex)
        c = ds._column(columnNameOrIndex)
        rows = list(ds.rows)
        row = list(rows[r])
        row[c] = self._fit(value, ds.getColumnTypes()[c])
        rows[r] = tuple(row)
        return self._rebuild(ds, rows)

    def updateRow(self, dataset, rowIndex, changes):
        ds = _as_basic(dataset)
        r = ds._row(rowIndex)
        rows = list(ds.rows)
        row = list(rows[r])
        for key in sorted(changes, key=lambda k: text_type(k)):
            c = ds._column(key)
            row[c] = self._fit(changes[key], ds.getColumnTypes()[c])
        rows[r] = tuple(row)
        return self._rebuild(ds, rows)

    def addColumn(self, dataset, colIndex, col, colName=None, colType=None):
        """`addColumn(ds, col, colName, colType)` appends; with `colIndex` first it inserts."""
        if colType is None and not isinstance(colIndex, integer_types):
            colIndex, col, colName, colType = None, colIndex, col, colName
        ds = _as_basic(dataset)
        col = list(col)
        if len(col) != ds.getRowCount():
            raise DatasetError("Column %r has %d values but the dataset has %d rows."
                               % (colName, len(col), ds.getRowCount()))
        if colName in ds.getColumnNames():
            raise DatasetError("Column %r already exists." % (colName,))
        type_name = normalize_type(colType) if colType is not None else OBJECT
        if colIndex is None:
            colIndex = ds.getColumnCount()
        if colIndex < 0 or colIndex > ds.getColumnCount():
            raise DatasetError("Column index %r is out of range 0..%d." % (colIndex, ds.getColumnCount()))
        names = ds.getColumnNames()
        types = ds.getColumnTypes()
        names.insert(colIndex, colName)
        types.insert(colIndex, type_name)
        rows = []
        for row, value in zip(ds.rows, col):
            row = list(row)
            row.insert(colIndex, self._fit(value, type_name))
            rows.append(row)
        return BasicDataset(names, rows, types)

    def filterColumns(self, dataset, columns):
        """Keep only `columns` (names or indices, or one comma-separated string), in that order."""
        ds = _as_basic(dataset)
        if isinstance(columns, string_types):
            columns = [c.strip() for c in columns.split(",")]
        idx = [ds._column(c) for c in columns]
        names = [ds.getColumnNames()[i] for i in idx]
        types = [ds.getColumnTypes()[i] for i in idx]
        return BasicDataset(names, [[r[i] for i in idx] for r in ds.rows], types)

    def sort(self, dataset, keyColumn, ascending=True, naturalOrdering=True):
        """Stable sort on one column; None sorts first ascending; natural ordering puts 'a2' before 'a10'."""
        ds = _as_basic(dataset)
        c = ds._column(keyColumn)

        def key(row):
            v = row[c]
            if v is None:
                return (0, 0)
            if naturalOrdering and isinstance(v, string_types):
                return (1, _natural_key(v))
            return (1, v)

        present = [r for r in ds.rows if r[c] is not None]
        missing = [r for r in ds.rows if r[c] is None]
        present = sorted(present, key=key, reverse=not ascending)
        rows = missing + present if ascending else present + missing
        return self._rebuild(ds, rows)

    def clearDataset(self, dataset):
        ds = _as_basic(dataset)
        return self._rebuild(ds, [])

    def appendDataset(self, dataset1, dataset2):
        a = _as_basic(dataset1)
        b = _as_basic(dataset2)
        if a.getColumnNames() != b.getColumnNames():
            raise DatasetError("Cannot append: columns %r differ from %r." % (b.getColumnNames(), a.getColumnNames()))
        rows = [tuple(self._checked_row(a, r)) for r in b.rows]
        return self._rebuild(a, list(a.rows) + rows)

    def toCSV(self, dataset, showHeaders=True, forExport=False, localized=False):
        ds = _as_basic(dataset)
        lines = []
        if forExport:
            lines.append("#NAMES")
            lines.append(",".join(_csv_field(n) for n in ds.getColumnNames()))
            lines.append("#TYPES")
            lines.append(",".join(_csv_field(_CSV_CODES.get(t, "O")) for t in ds.getColumnTypes()))
            lines.append("#ROWS")
            lines.append(_csv_field(ds.getRowCount()))
        elif showHeaders:
            lines.append(",".join(_csv_field(n) for n in ds.getColumnNames()))
        for row in ds.rows:
            lines.append(",".join(_csv_field(v) for v in row))
        return "\n".join(lines) + "\n"

    def fromCSV(self, csv):
        """Read the export form written by `toCSV(ds, forExport=True)`."""
        records = _csv_records(text_type(csv))
        if len(records) < 6 or records[0] != ["#NAMES"] or records[2] != ["#TYPES"] or records[4] != ["#ROWS"]:
            raise DatasetError("CSV is not in the export form (#NAMES/#TYPES/#ROWS); write it with toCSV(ds, forExport=True).")
        names = records[1]
        types = [normalize_type(t) for t in records[3]]
        count = int(records[5][0])
        body = records[6:6 + count]
        if len(body) != count:
            raise DatasetError("CSV announces %d rows but holds %d." % (count, len(body)))
        rows = []
        for record in body:
            if len(record) != len(names):
                raise DatasetError("CSV row %r does not have %d values." % (record, len(names)))
            rows.append([_coerce(v, t) for v, t in zip(record, types)])
        return BasicDataset(names, rows, types)


def make_dataset_functions():
    """A fresh object carrying the `system.dataset` functions as attributes."""
    return DatasetFunctions()
