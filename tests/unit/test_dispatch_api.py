"""The public surface of the dispatch modules, and the calls other areas rely on, pinned."""
import inspect

import pytest

from harness.core.library import ScriptLibrary
from harness.core.system.namespace import Namespace

MODULES = ["audit", "dispatch", "guidance", "item", "labor", "operation", "routing", "security",
           "transaction", "workcenter", "workorder"]


@pytest.fixture(scope="module")
def library():
    return ScriptLibrary("project/scripts", {"system": Namespace("system")})


@pytest.mark.parametrize("name", MODULES)
def test_each_module_exports_a_sorted_all_of_names_it_defines(library, name):
    module = library.resolve("mes." + name)
    assert module.__all__ == sorted(module.__all__)
    assert [n for n in module.__all__ if not hasattr(module, n)] == []
    assert module.__doc__.strip()


@pytest.mark.parametrize("dotted, parameters", [
    ("mes.audit.record", ["actor", "action", "subject", "details", "reason", "tx"]),
    ("mes.audit.verify", ["tx", "raise_on_error"]),
    ("mes.security.require_role", ["username", "role", "tx"]),
    ("mes.security.sign", ["username", "password", "meaning", "tx", "subject", "role"]),
    ("mes.operation.get", ["wo_id", "op_seq", "tx"]),
])
def test_the_calls_other_areas_use_keep_their_signature(library, dotted, parameters):
    assert list(inspect.signature(library.resolve(dotted)).parameters) == parameters


def test_every_refusal_is_a_mes_error_leaf(library):
    errors = library.resolve("mes.errors")
    leaves = []
    for name in MODULES:
        module = library.resolve("mes." + name)
        leaves += [getattr(module, n) for n in module.__all__
                   if inspect.isclass(getattr(module, n))]
    assert leaves and all(issubclass(leaf, errors.MesError) for leaf in leaves)
    assert len(set(leaf.code for leaf in leaves)) == len(leaves)
