"""Material barcodes: GS1-128 / GS1 DataMatrix element strings and plain lot labels, parsed to a dict.

Accepted forms of one scan:
- raw element strings as scanners send them, optionally led by a symbology identifier (`]C1`
  GS1-128, `]d2` GS1 DataMatrix, `]Q3` GS1 QR, `]e0` GS1 DataBar) and with FNC1 sent as the ASCII
  group separator (GS, 0x1D) after every variable-length field that is not last;
- the human-readable form with parenthesised AIs: `(01)09501101530003(17)260131(10)AB12`;
- a plain lot label: anything else made of GS1 "character set 82" characters, up to 20 long.

Decision: without a symbology identifier, a GS or parentheses, a string is read as a GS1 element
string only when it starts with AI 01 and a 14-digit GTIN whose check digit is right; any other
string is a plain lot label. A plain lot label that happens to look like that would need a prefix.

AIs understood: 01 GTIN (check digit verified), 10 batch/lot, 17 expiry YYMMDD, 21 serial,
30 variable count, 37 count of trade items. Other fixed-length AIs (00, 02, 11-16, 20) are checked
for length and kept under `ais`; any other AI is rejected as unknown, because without its length
the rest of the string cannot be read.

Expiry: day `00` means the last day of that month (GS1 General Specifications 7.12). The century
follows the GS1 sliding window against `today`: a two-digit year 51-99 years ahead of today's is
in the previous century, one 50-99 years behind is in the next, otherwise in the current one.
"""
from __future__ import absolute_import, division, print_function

import datetime

__all__ = ["GS", "MalformedBarcode", "UnknownApplicationIdentifier", "check_digit", "expiry_date", "parse",
           "validate_gtin"]

GS = u"\x1d"

_SYMBOLOGY_IDS = (u"]C1", u"]d2", u"]Q3", u"]e0", u"]J1")

# AI -> (fixed length or None, maximum length, numeric only)
_AIS = {
    u"00": (18, 18, True),
    u"01": (14, 14, True),
    u"02": (14, 14, True),
    u"10": (None, 20, False),
    u"11": (6, 6, True),
    u"12": (6, 6, True),
    u"13": (6, 6, True),
    u"15": (6, 6, True),
    u"16": (6, 6, True),
    u"17": (6, 6, True),
    u"20": (2, 2, True),
    u"21": (None, 20, False),
    u"30": (None, 8, True),
    u"37": (None, 8, True),
}

_CSET82 = frozenset(u"!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
                    u"abcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset(u"0123456789")


class MalformedBarcode(mes.errors.InvalidInput):  # noqa: F821 - `mes` is the project library
    """A scan that is neither a readable GS1 element string nor a plain lot number."""
    code = "malformed_barcode"


class UnknownApplicationIdentifier(MalformedBarcode):
    """A GS1 element string with an AI this module cannot read past."""
    code = "unknown_application_identifier"


def _fail(cls, message, **details):
    return cls(message, **details)


def check_digit(digits):
    """The GS1 mod-10 check digit of `digits` (the GTIN without its last digit)."""
    total = 0
    weight = 3
    for ch in reversed(digits):
        total += int(ch) * weight
        weight = 4 - weight
    return (10 - total % 10) % 10


def validate_gtin(gtin):
    """Return `gtin` if it is 14 digits with the right check digit, else raise MalformedBarcode."""
    if len(gtin) != 14 or not set(gtin) <= _DIGITS:
        raise _fail(MalformedBarcode, mes.inventory.fmt("GTIN %r must be 14 digits.", gtin),
                    expected="14 digits", got=gtin)
    want = check_digit(gtin[:13])
    if int(gtin[13]) != want:
        raise _fail(MalformedBarcode, mes.inventory.fmt("GTIN %r has check digit %s, expected %d.", gtin, gtin[13], want),
                    expected=str(want), got=gtin[13])
    return gtin


def _days_in_month(year, month):
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.date(year, month, 1)).days


def expiry_date(yymmdd, today):
    """The date of a GS1 YYMMDD field (day 00 = last day of the month), century from `today`."""
    if len(yymmdd) != 6 or not set(yymmdd) <= _DIGITS:
        raise _fail(MalformedBarcode, mes.inventory.fmt("Date %r must be YYMMDD.", yymmdd), expected="YYMMDD", got=yymmdd)
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if not 1 <= month <= 12:
        raise _fail(MalformedBarcode, mes.inventory.fmt("Date %r has month %02d, expected 01-12.", yymmdd, month),
                    expected="01-12", got=yymmdd[2:4])
    century = today.year - today.year % 100
    diff = yy - today.year % 100
    if diff >= 51:
        century -= 100
    elif diff <= -50:
        century += 100
    year = century + yy
    last = _days_in_month(year, month)
    if day == 0:
        day = last
    if day > last:
        raise _fail(MalformedBarcode, mes.inventory.fmt("Date %r has day %02d, expected 00-%02d.", yymmdd, day, last),
                    expected="00-%02d" % last, got=yymmdd[4:6])
    return datetime.date(year, month, day)


def _strip(raw):
    try:
        text = mes.compat.text(raw)  # noqa: F821
    except UnicodeDecodeError:
        raise _fail(MalformedBarcode, "Barcode bytes are not UTF-8 text.", expected="UTF-8 text", got=repr(raw))
    if text is None:
        raise _fail(MalformedBarcode, "Barcode is empty.", expected="a barcode", got=None)
    text = text.strip(u" \r\n\t")
    symbology = None
    for sid in _SYMBOLOGY_IDS:
        if text.startswith(sid):
            symbology = sid
            text = text[len(sid):]
            break
    return text, symbology


def _split_parenthesised(text):
    """[(ai, value)] from `(01)…(10)…`."""
    pairs = []
    pos = 0
    while pos < len(text):
        if text[pos] != u"(":
            raise _fail(MalformedBarcode, mes.inventory.fmt("Barcode %r: expected '(' at position %d, got %r.", text, pos, text[pos]),
                        expected="(", got=text[pos])
        close = text.find(u")", pos)
        if close < 0:
            raise _fail(MalformedBarcode, mes.inventory.fmt("Barcode %r: AI at position %d is not closed.", text, pos),
                        expected=")", got=text[pos:])
        ai = text[pos + 1:close]
        nxt = text.find(u"(", close)
        while nxt >= 0 and not _looks_like_ai(text, nxt):
            nxt = text.find(u"(", nxt + 1)
        end = len(text) if nxt < 0 else nxt
        pairs.append((ai, text[close + 1:end]))
        pos = end
    return pairs


def _looks_like_ai(text, pos):
    close = text.find(u")", pos)
    return close > pos and text[pos + 1:close] in _AIS


def _split_raw(text):
    """[(ai, value)] from an element string with GS after variable-length fields."""
    pairs = []
    pos = 0
    while pos < len(text):
        if text[pos] == GS:
            pos += 1
            continue
        ai = text[pos:pos + 2]
        if ai not in _AIS:
            raise _fail(UnknownApplicationIdentifier, mes.inventory.fmt("Barcode has unknown AI %r at position %d; expected one of %s.", ai, pos, ", ".join(sorted(_AIS))), expected=sorted(_AIS), got=ai)
        fixed, _, _ = _AIS[ai]
        start = pos + 2
        if fixed is not None:
            end = start + fixed
        else:
            gs = text.find(GS, start)
            end = len(text) if gs < 0 else gs
        pairs.append((ai, text[start:end]))
        pos = end
    return pairs


def _check_field(ai, value):
    if ai not in _AIS:
        raise _fail(UnknownApplicationIdentifier, mes.inventory.fmt("Barcode has unknown AI %r; expected one of %s.", ai, ", ".join(sorted(_AIS))), expected=sorted(_AIS), got=ai)
    fixed, longest, numeric = _AIS[ai]
    if fixed is not None and len(value) != fixed:
        raise _fail(MalformedBarcode, mes.inventory.fmt("AI (%s) value %r has %d characters, expected %d.", ai, value, len(value), fixed), expected=fixed, got=len(value))
    if not value or len(value) > longest:
        raise _fail(MalformedBarcode, mes.inventory.fmt("AI (%s) value %r has %d characters, expected 1-%d.", ai, value, len(value), longest), expected=longest, got=len(value))
    allowed = _DIGITS if numeric else _CSET82
    bad = [ch for ch in value if ch not in allowed]
    if bad:
        raise _fail(MalformedBarcode, mes.inventory.fmt("AI (%s) value %r contains %r, expected %s.", ai, value, bad[0], "digits" if numeric else "GS1 character set 82"),
                    expected="digits" if numeric else "GS1 character set 82", got=bad[0])


def _looks_like_gs1(text):
    if len(text) < 16 or not text.startswith(u"01") or not set(text[2:16]) <= _DIGITS:
        return False
    return check_digit(text[2:15]) == int(text[15])


def parse(raw, today):
    """Parse one scan into {"kind": "gs1"|"lot", "gtin", "lot", "expiry", "serial", "count", "ais"}.

    `today` (a date or datetime) anchors the century of two-digit years. Absent fields are None;
    `expiry` is an ISO date string; `count` is an int (AI 30 or 37). Raises MalformedBarcode or
    its subclass UnknownApplicationIdentifier, naming what was expected and what came.
    """
    if isinstance(today, datetime.datetime):
        today = today.date()
    text, symbology = _strip(raw)
    result = {"kind": "gs1", "gtin": None, "lot": None, "expiry": None, "serial": None,
              "count": None, "ais": {}}
    if text.startswith(u"("):
        pairs = _split_parenthesised(text)
    elif symbology is not None or GS in text or _looks_like_gs1(text):
        pairs = _split_raw(text)
    else:
        if not text or len(text) > 20 or [ch for ch in text if ch not in _CSET82]:
            raise _fail(MalformedBarcode, mes.inventory.fmt("Barcode %r is neither a GS1 element string nor a lot number "
                        "(1-20 characters of GS1 character set 82).", text),
                        expected="GS1 element string or lot number", got=text)
        result["kind"] = "lot"
        result["lot"] = text
        return result
    if not pairs:
        raise _fail(MalformedBarcode, mes.inventory.fmt("Barcode %r holds no element strings.", raw),
                    expected="at least one AI", got=text)
    for ai, value in pairs:
        _check_field(ai, value)
        if ai in result["ais"]:
            raise _fail(MalformedBarcode, "Barcode repeats AI (%s)." % (ai,), expected="each AI once", got=ai)
        result["ais"][ai] = value
    ais = result["ais"]
    if u"01" in ais:
        result["gtin"] = validate_gtin(ais[u"01"])
    if u"10" in ais:
        result["lot"] = ais[u"10"]
    if u"21" in ais:
        result["serial"] = ais[u"21"]
    if u"17" in ais:
        result["expiry"] = expiry_date(ais[u"17"], today).isoformat()
    for ai in (u"30", u"37"):
        if ai in ais:
            result["count"] = int(ais[ai])
    if result["lot"] is None and result["serial"] is None:
        raise _fail(MalformedBarcode, mes.inventory.fmt("Barcode %r names no lot (AI 10) or serial (AI 21).", text),
                    expected="AI 10 or AI 21", got=sorted(ais))
    return result
