"""B2MML performance documents out: one completion -> SyncProductionPerformance (V0600) or
SyncOperationsPerformance (V07), as UTF-8 XML text. Pure functions.

Shape (both versions): ApplicationArea (Sender/LogicalID = the site, CreationDateTime, BODID =
the message id = the idempotency key), DataArea with <Sync/> and one performance noun holding one
response for the work order (request id = work-order id, version = its revision) and one segment
response for the operation: ID = operation sequence, actual start/end, segment data
GoodQuantity/ScrapQuantity/ReworkQuantity and Quality.<test> (result; a child `Value` item when
measured), personnel actuals (hours, unit H), the produced material (good quantity, produced lot)
and the consumed material by lot (property ConsumptionMethod = Actual | Backflush).
"""
from __future__ import absolute_import, division, print_function

__all__ = ["build_performance"]


def _e(*args, **kwargs):
    return mes.erpxml.element(*args, **kwargs)


def _quantity(value, unit, name="Quantity"):
    return _e(name, _e("QuantityString", value), _e("UnitOfMeasure", unit) if unit else None)


def _value(value, unit=None, data_type=None):
    return _e("Value", _e("ValueString", value), _e("DataType", data_type) if data_type else None,
              _e("UnitOfMeasure", unit) if unit else None)


def _data_items(wo, done, name, child_name):
    items = [_e(name, _e("ID", "GoodQuantity"), _value(done["good"], wo["uom"], "double")),
             _e(name, _e("ID", "ScrapQuantity"), _value(done["scrap"], wo["uom"], "double")),
             _e(name, _e("ID", "ReworkQuantity"), _value(done["rework"], wo["uom"], "double"))]
    for q in done["quality"]:
        measured = None
        if q["value"] is not None:
            measured = _e(child_name, _e("ID", "Value"), _value(q["value"], q["uom"], "double"))
        items.append(_e(name, _e("ID", "Quality.%s" % q["test_id"]), _value(q["result"], None, "string"), measured))
    return items


def _application_area(message_id, sender, created_ms):
    return _e("ApplicationArea", _e("Sender", _e("LogicalID", sender)),
              _e("CreationDateTime", mes.erpxml.format_time(created_ms)), _e("BODID", message_id))


def build_performance(version, message_id, sender, created_ms, wo, op, done):
    """The document text for one completion; `version` is 'V0600' or 'V0701'."""
    if version == "V0600":
        return mes.erpxml.serialize(_v0600(message_id, sender, created_ms, wo, op, done))
    if version in ("V0701", "V07"):
        return mes.erpxml.serialize(_v07(message_id, sender, created_ms, wo, op, done))
    raise mes.errors.ConfigurationError("The B2MML version %r is not V0600 or V0701." % version)


def _v0600(message_id, sender, created_ms, wo, op, done):
    x = mes.erpxml
    start, end = x.format_time(done["start_ms"]), x.format_time(done["end_ms"])
    personnel = [_e("PersonnelActual", _e("PersonID", l["person_id"]), _quantity(l["hours"], "H")) for l in done["labor"]]
    produced = []
    if done["good"] > 0:
        produced.append(_e("MaterialProducedActual", _e("MaterialDefinitionID", wo["item_id"]),
                           _e("MaterialLotID", done["produced_lot"]) if done["produced_lot"] else None,
                           _quantity(done["good"], wo["uom"])))
    consumed = [_e("MaterialConsumedActual", _e("MaterialDefinitionID", m["item_id"]),
                   _e("MaterialLotID", m["lot_id"]) if m["lot_id"] else None,
                   _quantity(m["quantity"], m["uom"]),
                   _e("MaterialConsumedActualProperty", _e("ID", "ConsumptionMethod"),
                      _value("Backflush" if m["method"] == "backflush" else "Actual", None, "string")))
                for m in done["materials"]]
    segment = _e("SegmentResponse", _e("ID", op["op_seq"]),
                 _e("ProcessSegmentID", op["segment_id"]) if op.get("segment_id") else None,
                 _e("ActualStartTime", start), _e("ActualEndTime", end),
                 _data_items(wo, done, "ProductionData", "ProductionData"),
                 personnel, produced, consumed, _e("SegmentState", "Completed"))
    response = _e("ProductionResponse", _e("ID", "%s-%s" % (wo["wo_id"], done["completion_id"])),
                  _e("ProductionRequestID", wo["wo_id"]), _e("Version", wo["revision"]),
                  _e("StartTime", start), _e("EndTime", end), segment)
    noun = _e("ProductionPerformance", _e("ID", message_id), _e("StartTime", start), _e("EndTime", end), response)
    return _e("SyncProductionPerformance", _application_area(message_id, sender, created_ms),
              _e("DataArea", _e("Sync"), noun), xmlns=mes.erpschedule.NS_V0600, releaseID="6.0")


def _v07(message_id, sender, created_ms, wo, op, done):
    x = mes.erpxml
    start, end = x.format_time(done["start_ms"]), x.format_time(done["end_ms"])
    personnel = [_e("PersonnelActual", _e("ID", "%s-L%d" % (op["op_seq"], i + 1)), _e("PersonID", l["person_id"]),
                    _quantity(l["hours"], "H")) for i, l in enumerate(done["labor"])]
    materials = []
    if done["good"] > 0:
        materials.append(_e("MaterialActual", _e("ID", "%s-P" % op["op_seq"]), _e("MaterialDefinitionID", wo["item_id"]),
                            _e("MaterialLotID", done["produced_lot"]) if done["produced_lot"] else None,
                            _e("MaterialUse", "Produced"), _quantity(done["good"], wo["uom"])))
    for i, m in enumerate(done["materials"]):
        materials.append(_e("MaterialActual", _e("ID", "%s-C%d" % (op["op_seq"], i + 1)),
                            _e("MaterialDefinitionID", m["item_id"]),
                            _e("MaterialLotID", m["lot_id"]) if m["lot_id"] else None,
                            _e("MaterialUse", "Consumed"), _quantity(m["quantity"], m["uom"]),
                            _e("MaterialActualProperty", _e("ID", "ConsumptionMethod"),
                               _value("Backflush" if m["method"] == "backflush" else "Actual", None, "string"))))
    segment = _e("SegmentResponse", _e("ID", op["op_seq"]), _e("ActualStartTime", start), _e("ActualEndTime", end),
                 _e("OperationsType", "Production"),
                 _e("ProcessSegmentID", op["segment_id"]) if op.get("segment_id") else None,
                 _e("OperationsRequestID", wo["wo_id"]), _e("SegmentState", "Completed"),
                 _data_items(wo, done, "SegmentData", "SegmentDataChild"), personnel, materials)
    response = _e("OperationsResponse", _e("ID", "%s-%s" % (wo["wo_id"], done["completion_id"])),
                  _e("Version", wo["revision"]), _e("StartTime", start), _e("EndTime", end),
                  _e("OperationsType", "Production"), _e("OperationsRequestID", wo["wo_id"]), segment)
    noun = _e("OperationsPerformance", _e("ID", message_id), _e("StartTime", start), _e("Endtime", end),
              _e("OperationsType", "Production"), response)
    return _e("SyncOperationsPerformance", _application_area(message_id, sender, created_ms),
              _e("DataArea", _e("Sync"), noun), xmlns=mes.erpschedule.NS_V07, releaseID="7.0.1")
