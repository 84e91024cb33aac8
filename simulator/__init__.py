"""Genba plant simulator: machine behaviour models, a plant built from the tag model, drivers.

`simulator.models`, `simulator.kinds`, `simulator.line`, `simulator.plant` and `simulator.direct`
are Python 2.7/3 common subset (they also run under Jython); `simulator.opcua_server` is CPython
(asyncua).
"""
