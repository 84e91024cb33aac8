"""Tag values of every data type and quality, through system.tag writes and device-side updates:
a write answers with a QualityCode (bad when the value does not fit), an update lands (a value
that does not fit becomes None with a bad quality), and no tag event script fails with anything
but a typed refusal."""
from __future__ import absolute_import, division, print_function

from hypothesis import given, settings
from hypothesis import strategies as st

from reliability_plant import CASES
from reliability_strategies import anything, text

QUALITIES = [None, "Good", "Bad", "Bad_Stale", "Bad_NotConnected", "Bad_Failure", "Error_TypeConversion", "Uncertain_EngineeringUnitsExceeded",
             "Uncertain_LastKnownValue", "Bad_OutOfRange", "Error", "Uncertain"]


def _paths(plant):
    if not hasattr(plant, "tag_paths"):
        plant.tag_paths = sorted(str(t.path) for t in plant.gw.tags.atomic_tags())
        plant.opc_paths = sorted(str(t.path) for t in plant.gw.tags.atomic_tags()
                                 if t.node.value_source == "opc")
    return plant.tag_paths


def _new_untyped_errors(plant, before):
    errors = plant.gw.errors[before:]
    return [e for e in errors if not isinstance(e.exception, plant.mes_error)]


@settings(max_examples=800)
@given(index=st.integers(min_value=0), value=anything, data=st.data())
def test_a_script_write_of_any_value_answers_with_a_quality_code(plant, index, value, data):
    paths = _paths(plant)
    path = data.draw(st.one_of(st.just(paths[index % len(paths)]), text.map(lambda t: u"[default]" + t)))
    before = len(plant.gw.errors)
    CASES["tag values"] += 1
    codes = plant.gw.system.tag.writeBlocking([path], [value])
    assert len(codes) == 1 and codes[0].isGood() in (True, False)
    assert _new_untyped_errors(plant, before) == []


@settings(max_examples=1500)
@given(index=st.integers(min_value=0), value=anything, quality=st.sampled_from(QUALITIES))
def test_a_device_update_of_any_value_and_quality_lands_without_a_script_failure(plant, index, value, quality):
    _paths(plant)
    path = plant.opc_paths[index % len(plant.opc_paths)]
    before = len(plant.gw.errors)
    CASES["tag values"] += 1
    plant.gw.clock.advance(0.05)
    plant.gw.update(path, value, quality)
    qv = plant.gw.read(path)
    assert qv.quality is not None
    assert _new_untyped_errors(plant, before) == []
