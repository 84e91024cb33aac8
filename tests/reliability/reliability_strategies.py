"""Hypothesis strategies for hostile input: SQL-ish and unicode text, any value a screen, a PLC or
a JSON document can deliver, and GS1-shaped scans."""
from __future__ import absolute_import, division, print_function

import datetime

from hypothesis import strategies as st

GS = u"\x1d"
SQLISH = [u"'", u"''", u"\"", u"' OR '1'='1", u"'; DROP TABLE lots; --", u"%", u"_", u"\\",
          u"1; DELETE FROM work_orders", u"NULL", u"?", u":lot", u"$1", u"/*", u"*/", u"--",
          u"\x00", u"\u202e", u"\ufeff", u"\U0001f4a9", u"\u00e9", u"e\u0301", u"\u0130",
          u"\uff37\uff2f-1", u" ", u"\t", u"\r\n", u"WO-7001 ", u" WO-7001", u"wo-7001",
          u"WO-7001", u"L-100", u"PCB-0001", u"PRESS-1", u"ana", u"root", u"RESIN-A"]

#: Text of every kind: the hostile list, printable ASCII, and any unicode (no lone surrogates,
#: which neither Java strings from a scanner nor JSON deliver as text).
text = st.one_of(st.sampled_from(SQLISH), st.text(max_size=40),
                 st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
                 st.lists(st.sampled_from(SQLISH), max_size=4).map(u"".join))

numbers = st.one_of(st.integers(), st.integers(min_value=-10, max_value=2000),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.floats(min_value=-5, max_value=500), st.sampled_from([0, -0.0, 1e308, -1, 2 ** 63, 2 ** 31]))

scalars = st.one_of(st.none(), st.booleans(), numbers, text, st.binary(max_size=20),
                    st.datetimes(min_value=datetime.datetime(1900, 1, 1),
                                 max_value=datetime.datetime(2200, 1, 1)))

#: Anything: scalars and small containers of them (what a JSON body or a script can pass).
anything = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)), max_leaves=6)

users = st.one_of(st.sampled_from([u"ana", u"ben", u"cy", u"lee", u"quinn", u"eve", u"erp", u"root"]), text)
stations = st.one_of(st.sampled_from([u"PRESS-1", u"TORQUE-1", u"TORQUE-2", u"VISION-1", u"MARK-1",
                                      u"PACK-1"]), text)
work_orders = st.one_of(st.sampled_from([u"WO-7001", u"WO-7002"]), text)
op_seqs = st.one_of(st.sampled_from([10, 20, 30, 40, 50]), numbers, text, st.none())
quantities = st.one_of(st.integers(min_value=-3, max_value=20), numbers, text, st.none())

digits = st.text(alphabet=u"0123456789", min_size=1, max_size=20)
_AIS = [u"00", u"01", u"02", u"10", u"11", u"13", u"15", u"17", u"21", u"30", u"37", u"240", u"310",
        u"3103", u"400", u"99", u"7003", u"8200", u"", u"9"]
_cset = st.text(alphabet=u"ABCXYZ0123456789-./_%&'!\"()*+,:;<=>?" + GS + u"\u00e9 ", max_size=24)
element = st.tuples(st.sampled_from(_AIS), st.one_of(digits, _cset))


def _raw(pairs, parens, prefix):
    if parens:
        body = u"".join(u"(%s)%s" % pair for pair in pairs)
    else:
        body = GS.join(ai + value for ai, value in pairs)
    return prefix + body


#: Scans: GS1 element strings (bracketed or raw with FNC1, with or without a symbology prefix,
#: valid and broken GTINs), lot numbers, and any text.
scans = st.one_of(
    st.builds(_raw, st.lists(element, max_size=5), st.booleans(),
              st.sampled_from([u"", u"]d2", u"]C1", u"]Q3", u"]e0", u"]"])),
    st.sampled_from([u"L-100", u"L-101", u"PCB-0001", u"(01)09501101530003(10)L-100",
                     u"]d20109501101530003172606301" + u"0L-100" + GS + u"3010",
                     u"(01)09501101530027(21)PCB-0002", u"(01)09501101530004(10)L-100",
                     u"(01)09501101530003(17)261331(10)L-100", u"(01)0950110153000(10)L"]),
    text, st.one_of(st.none(), numbers, st.binary(max_size=30)))
