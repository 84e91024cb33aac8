"""mes.erpxml: documents that could make the parser expand or fetch are refused before parsing."""

import pytest

from tests.support.erp_fixtures import case, library


mes = library()

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<ProcessProductionSchedule xmlns="http://www.mesa.org/xml/B2MML-V0600">&lol3;</ProcessProductionSchedule>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<ProcessProductionSchedule xmlns="http://www.mesa.org/xml/B2MML-V0600"><x>&secret;</x></ProcessProductionSchedule>"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!doctype x [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]><x/>"""


@pytest.mark.parametrize("text, declared", [(BILLION_LAUGHS, "DOCTYPE"), (EXTERNAL_ENTITY, "DOCTYPE"),
                                            (PARAMETER_ENTITY, "DOCTYPE"),
                                            ("<x><!ENTITY a 'b'></x>", "ENTITY")])
def test_documents_declaring_a_dtd_or_entities_are_refused(text, declared):
    with pytest.raises(mes.erpxml.UnsafeDocument) as info:
        mes.erpxml.parse(text)
    assert info.value.message == "The document contains a %r declaration; DTDs and entities are refused." % declared


def test_documents_above_the_size_bound_are_refused_before_parsing():
    text = case("schedule_v0600.xml")
    with pytest.raises(mes.erpxml.DocumentTooLarge) as info:
        mes.erpxml.parse(text, max_bytes=1000)
    assert info.value.message == "The document has %r bytes, more than the limit of 1000." % len(text.encode("utf-8"))


def test_bytes_that_are_not_utf8_are_refused():
    with pytest.raises(mes.erpxml.MalformedDocument) as info:
        mes.erpxml.parse(b"<x>\xff\xfe</x>")
    assert "not UTF-8" in info.value.message


def test_a_byte_order_mark_and_an_encoding_declaration_are_accepted():
    doc = mes.erpxml.parse(b"\xef\xbb\xbf" + case("schedule_v0600.xml").encode("utf-8"))
    assert (doc.name, doc.namespace) == ("ProcessProductionSchedule", "http://www.mesa.org/xml/B2MML-V0600")


def test_text_is_escaped_when_written():
    e = mes.erpxml.element
    text = mes.erpxml.serialize(e("A", e("B", "x < y & \"z\""), e("C", 2.0), e("D", 0.25), e("E", True), q="1 & 2"))
    assert text == ('<?xml version="1.0" encoding="UTF-8"?>\n<A q="1 &amp; 2">\n  <B>x &lt; y &amp; "z"</B>\n'
                    '  <C>2</C>\n  <D>0.25</D>\n  <E>true</E>\n</A>\n')
