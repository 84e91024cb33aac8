"""QualityCode carries Ignition's names, levels and integer codes."""
import pytest

from harness import QualityCode


@pytest.mark.parametrize("name, code, level", [
    ("Good", 192, "Good"),
    ("Uncertain_LastKnownValue", 1073742081, "Uncertain"),
    ("Bad_NotFound", -2147483129, "Bad"),
    ("Bad_NotConnected", -2147483126, "Bad"),
    ("Bad_Stale", -2147483132, "Bad"),
    ("Error_TypeConversion", -1073741052, "Error"),
])
def test_quality_codes_pack_level_and_subcode_like_ignition(name, code, level):
    quality = QualityCode.byName(name)
    assert (quality.getName(), quality.getCode(), quality.getLevel()) == (name, code, level)
    assert QualityCode.fromCode(code) is quality


def test_level_predicates_follow_the_level():
    assert QualityCode.Good.isGood() and not QualityCode.Good.isBad()
    assert QualityCode.Uncertain_LastKnownValue.isUncertain()
    assert QualityCode.Bad_Stale.isBad() and QualityCode.Bad_Stale.isBadOrError()
    assert QualityCode.Error_TypeConversion.isError() and QualityCode.Error_TypeConversion.isNotGood()


def test_derived_quality_keeps_its_code_and_adds_a_diagnostic():
    derived = QualityCode.Bad_OutOfRange.derive("300 is outside Int1")
    assert derived == QualityCode.Bad_OutOfRange
    assert derived.getDiagnosticMessage() == "300 is outside Int1"
    assert str(derived) == 'Bad_OutOfRange("300 is outside Int1")'


def test_an_unknown_name_is_refused_naming_it():
    with pytest.raises(KeyError, match="Bad_Nonsense"):
        QualityCode.byName("Bad_Nonsense")
