"""B2MML schedules and material master in: documents -> plain work-order, item and lot records.

Pure functions (no `system` calls): `read(data)` parses a B2MML message safely and maps it to a
record; `check_references` checks it against the known items and units. Accepted shapes:

- V0600 (namespace http://www.mesa.org/xml/B2MML-V0600): `ProductionSchedule` (bare or wrapped as
  Process/Sync/Change + noun) with `ProductionRequest` = one work order.
- V07 (namespace http://www.mesa.org/xml/B2MML): `OperationsSchedule` with `OperationsRequest` = one
  work order.
- Either namespace: `MaterialInformation`, `MaterialDefinition`, `MaterialLot` (material master, lots).

Mapping of a request (both versions): ID -> wo_id, Version -> revision ("1" when absent),
Priority, StartTime/EndTime; each leaf segment requirement -> an operation (ID = op sequence,
ProcessSegmentID, first EquipmentID = work centre, Duration); the produced material requirement
(V0600 MaterialProducedRequirement, V07 MaterialRequirement with MaterialUse Produced) -> the item
and order quantity; consumed material requirements -> BOM lines of that operation.
"""
from __future__ import absolute_import, division, print_function

import re

__all__ = ["NS_V0600", "NS_V07", "UnsupportedDocument", "check_references", "read"]

NS_V0600 = "http://www.mesa.org/xml/B2MML-V0600"
NS_V07 = "http://www.mesa.org/xml/B2MML"
_VERSIONS = {NS_V0600: "V0600", NS_V07: "V0701"}
_VERBS = ("Process", "Sync", "Change")
_SCHEDULES = {"V0600": ("ProductionSchedule", "ProductionRequest"),
              "V0701": ("OperationsSchedule", "OperationsRequest")}
_MATERIAL_NOUNS = ("MaterialInformation", "MaterialDefinition", "MaterialLot")
_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?"
                       r"(?:(\d+(?:\.\d+)?)S)?)?$")
_TRACKING = ("lot", "serial", "bulk")
_CONSUMPTION = ("actual", "backflush")


class UnsupportedDocument(mes.errors.InvalidInput):
    """Wrong namespace, version or noun: not a document Genba reads."""
    code = "unsupported_document"


class MissingElement(mes.errors.InvalidInput):
    """A required element is absent or empty."""
    code = "missing_element"


class BadValue(mes.errors.InvalidInput):
    """A quantity, date or code is out of range or inconsistent."""
    code = "bad_value"


class UnknownReference(mes.errors.NotFound):
    """An item or unit the document refers to is not known to the MES."""
    code = "unknown_reference"


def _x():
    return mes.erpxml


def read(data, max_bytes=None):
    """Parse and map one B2MML message; returns a record dict (see module docstring)."""
    x = _x()
    doc = x.parse(data, max_bytes or x.DEFAULT_MAX_BYTES)
    version = _VERSIONS.get(doc.namespace)
    if version is None:
        raise UnsupportedDocument("The namespace %r is not B2MML V0600 (%s) or V07 (%s)."
                                  % (doc.namespace, NS_V0600, NS_V07))
    record = {"version": version, "message_id": None, "verb": None, "work_orders": [], "items": [],
              "lots": [], "schedule_id": None}
    root, noun = doc.root, doc.name
    nouns = [root]
    for verb in _VERBS:
        if noun.startswith(verb) and noun != verb:
            area, data_area = x.child(root, "ApplicationArea"), x.child(root, "DataArea")
            if data_area is None:
                raise MissingElement("The message %r has no DataArea." % noun)
            record["verb"] = verb
            record["message_id"] = x.text_of(area, "BODID") if area is not None else None
            noun = noun[len(verb):]
            nouns = x.children(data_area, noun)
            if not nouns:
                raise MissingElement("The message %r carries no %r noun in its DataArea." % (doc.name, noun))
            break
    schedule, request = _SCHEDULES[version]
    if noun == schedule:
        record["kind"] = "schedule"
        for sched in nouns:
            record["schedule_id"] = x.text_of(sched, "ID")
            reqs = x.children(sched, request)
            if not reqs:
                raise MissingElement("The %s %r has no %s." % (schedule, record["schedule_id"], request))
            for req in reqs:
                record["work_orders"].append(_work_order(req, version))
        ids = [wo["wo_id"] for wo in record["work_orders"]]
        for wo_id in ids:
            if ids.count(wo_id) > 1:
                raise BadValue("The work order %r appears twice in one document." % wo_id)
    elif noun in _MATERIAL_NOUNS:
        record["kind"] = "material"
        for el in nouns:
            _material(el, noun, record)
        if not record["items"] and not record["lots"]:
            raise MissingElement("The %r document holds no MaterialDefinition or MaterialLot." % noun)
    else:
        other = [s for s in _SCHEDULES if _SCHEDULES[s][0] == noun]
        if other:
            raise UnsupportedDocument("%r is a %s noun but the namespace is %s's %r." % (noun, other[0], version, doc.namespace))
        raise UnsupportedDocument("The noun %r is not read by Genba; send %s or MaterialInformation." % (noun, schedule))
    return record


def _required(el, name, where):
    value = _x().text_of(el, name)
    if value is None:
        raise MissingElement("%s has no %s." % (where, name))
    return value


def _quantity(el, where, required=True):
    """(value, unit) of the first Quantity child; value > 0 and a unit are required."""
    x = _x()
    q = x.child(el, "Quantity")
    if q is None:
        if required:
            raise MissingElement("%s has no Quantity." % where)
        return None, None
    raw = x.text_of(q, "QuantityString")
    if raw is None:
        raise MissingElement("%s has a Quantity without QuantityString." % where)
    try:
        value = float(raw)
    except ValueError:
        raise BadValue("%s has the quantity %r, which is not a number." % (where, raw))
    if value != value or value in (float("inf"), float("-inf")):
        raise BadValue("%s has the quantity %r, which is not a finite number." % (where, raw))
    if value <= 0:
        raise BadValue("%s has the quantity %r; quantities must be greater than 0." % (where, raw))
    unit = x.text_of(q, "UnitOfMeasure")
    if unit is None:
        raise MissingElement("%s has a Quantity without UnitOfMeasure." % where)
    if value == int(value):
        value = int(value)
    return value, unit


def duration_seconds(text):
    """xs:duration (days/hours/minutes/seconds only) -> seconds as a number."""
    match = _DURATION.match(text or "")
    if not match or text in ("P", "PT"):
        raise BadValue("The duration %r is not an xs:duration such as 'PT1H30M'." % text)
    d, h, m, s = [float(g) if g else 0.0 for g in match.groups()]
    total = d * 86400 + h * 3600 + m * 60 + s
    return int(total) if total == int(total) else total


def _times(el, start_name, end_name, where):
    x = _x()
    start = x.parse_time(x.text_of(el, start_name), "%s %s" % (where, start_name))
    end = x.parse_time(x.text_of(el, end_name), "%s %s" % (where, end_name))
    if start is not None and end is not None and end < start:
        raise BadValue("%s ends (%s) before it starts (%s)." % (where, x.text_of(el, end_name), x.text_of(el, start_name)))
    return start, end


def _leaves(el, version, is_request=True):
    """Leaf segment requirements in document order, each with the elements whose materials it takes."""
    kid_name = "SegmentRequirement" if version == "V0600" or is_request else "SegmentRequirementChild"
    kids = _x().children(el, kid_name)
    if not kids:
        return [(el, [el])]
    result = []
    for i, kid in enumerate(kids):
        for leaf, carriers in _leaves(kid, version, False):
            result.append((leaf, ([el] if i == 0 else []) + carriers))
    return result


def _work_order(req, version):
    x = _x()
    wo_id = _required(req, "ID", "A work-order request")
    where = "Work order %r" % wo_id
    start, end = _times(req, "StartTime", "EndTime", where)
    priority = x.text_of(req, "Priority")
    if priority is not None:
        try:
            priority = int(float(priority))
        except ValueError:
            raise BadValue("%s has the priority %r, which is not a number." % (where, priority))
    wo = {"wo_id": wo_id, "revision": x.text_of(req, "Version") or "1", "priority": priority,
          "start_ms": start, "end_ms": end, "item_id": None, "quantity": None, "uom": None,
          "operations": [], "materials": []}
    segments = _leaves(req, version)
    if segments and segments[0][0] is req:
        raise MissingElement("%s has no SegmentRequirement (its routing)." % where)
    seen = set()
    for leaf, carriers in segments:
        op_seq = _required(leaf, "ID", "A segment requirement of %s" % where.lower())
        op_where = "%s operation %r" % (where, op_seq)
        if op_seq in seen:
            raise BadValue("%s appears twice in the routing." % op_where)
        seen.add(op_seq)
        e_start, e_end = _times(leaf, "EarliestStartTime", "LatestEndTime", op_where)
        if start is not None and e_start is not None and e_start < start:
            raise BadValue("%s may start before its work order starts." % op_where)
        if end is not None and e_end is not None and e_end > end:
            raise BadValue("%s ends after its work order ends." % op_where)
        duration = x.text_of(leaf, "Duration")
        equipment = x.child(leaf, "EquipmentRequirement")
        wo["operations"].append({
            "op_seq": op_seq, "segment_id": x.text_of(leaf, "ProcessSegmentID"),
            "work_center": x.text_of(equipment, "EquipmentID") if equipment is not None else None,
            "duration_s": duration_seconds(duration) if duration else None,
            "start_ms": e_start, "end_ms": e_end})
        for carrier in carriers:
            _segment_materials(carrier, version, op_seq, op_where, wo)
    if wo["item_id"] is None:
        raise MissingElement("%s has no produced material requirement (item and quantity)." % where)
    return wo


def _segment_materials(seg, version, op_seq, where, wo):
    x = _x()
    if version == "V0600":
        lines = [("Produced", m) for m in x.children(seg, "MaterialProducedRequirement")]
        lines += [("Consumed", m) for m in x.children(seg, "MaterialConsumedRequirement")]
    else:
        lines = [(x.text_of(m, "MaterialUse") or "Consumed", m) for m in x.children(seg, "MaterialRequirement")]
    for use, m in lines:
        item = _required(m, "MaterialDefinitionID", "A material requirement of %s" % where.lower())
        qty, unit = _quantity(m, "%s material %r" % (where, item))
        if use in ("Produced", "Yield Produced"):
            if wo["item_id"] not in (None, item):
                raise BadValue("%s produces %r and %r; one work order makes one item." % (where, wo["item_id"], item))
            if wo["quantity"] is not None and (qty, unit) != (wo["quantity"], wo["uom"]):
                raise BadValue("%s states two order quantities for %r." % (where, item))
            wo["item_id"], wo["quantity"], wo["uom"] = item, qty, unit
        elif use in ("Consumed", "Consumable", "Material Consumed"):
            wo["materials"].append({"op_seq": op_seq, "item_id": item, "quantity": qty, "uom": unit,
                                    "lot_id": x.text_of(m, "MaterialLotID")})
        else:
            raise BadValue("%s material %r has the MaterialUse %r; Genba reads Produced and Consumed." % (where, item, use))


def _properties(el, name):
    x = _x()
    props = {}
    for p in x.children(el, name):
        key = x.text_of(p, "ID")
        value = x.child(p, "Value")
        if key:
            props[key.lower()] = x.text_of(value, "ValueString") if value is not None else None
    return props


def _material(el, noun, record):
    x = _x()
    if noun == "MaterialInformation":
        for d in x.children(el, "MaterialDefinition"):
            _material(d, "MaterialDefinition", record)
        for lot in x.children(el, "MaterialLot"):
            _material(lot, "MaterialLot", record)
        return
    if noun == "MaterialDefinition":
        item_id = _required(el, "ID", "A MaterialDefinition")
        where = "Material definition %r" % item_id
        props = _properties(el, "MaterialDefinitionProperty")
        uom = props.get("unitofmeasure")
        if not uom:
            raise MissingElement("%s has no property 'UnitOfMeasure'." % where)
        tracking = (props.get("tracking") or "lot").lower()
        if tracking not in _TRACKING:
            raise BadValue("%s has Tracking %r; use lot, serial or bulk." % (where, tracking))
        consumption = (props.get("consumption") or "actual").lower()
        if consumption not in _CONSUMPTION:
            raise BadValue("%s has Consumption %r; use actual or backflush." % (where, consumption))
        record["items"].append({"item_id": item_id, "revision": x.text_of(el, "Version") or props.get("revision") or "1",
                                "description": x.text_of(el, "Description"), "uom": uom,
                                "tracking": tracking, "consumption": consumption})
    else:
        lot_id = _required(el, "ID", "A MaterialLot")
        where = "Material lot %r" % lot_id
        qty, unit = _quantity(el, where)
        record["lots"].append({"lot_id": lot_id, "item_id": _required(el, "MaterialDefinitionID", where),
                               "quantity": qty, "uom": unit,
                               "status": (x.text_of(el, "Status") or "released").lower()})


def check_references(record, items, units):
    """Raise UnknownReference/BadValue unless every item and unit is known.

    `items` maps item_id -> uom for items known before this document; items defined in the same
    document count as known. `units` is the collection of unit codes the plant uses.
    """
    known = dict(items)
    for item in record.get("items", []):
        if item["uom"] not in units:
            raise UnknownReference("Material definition %r uses the unknown unit %r." % (item["item_id"], item["uom"]))
        known[item["item_id"]] = item["uom"]
    lines = []
    for wo in record.get("work_orders", []):
        lines.append(("Work order %r" % wo["wo_id"], wo["item_id"], wo["uom"]))
        for m in wo["materials"]:
            lines.append(("Work order %r operation %r" % (wo["wo_id"], m["op_seq"]), m["item_id"], m["uom"]))
    for lot in record.get("lots", []):
        lines.append(("Material lot %r" % lot["lot_id"], lot["item_id"], lot["uom"]))
    for where, item_id, uom in lines:
        if item_id not in known:
            raise UnknownReference("%s refers to the unknown item %r; send its MaterialDefinition first." % (where, item_id))
        if uom not in units:
            raise UnknownReference("%s uses the unknown unit %r." % (where, uom))
        if uom != known[item_id]:
            raise BadValue("%s gives %r in %r but the item is kept in %r." % (where, item_id, uom, known[item_id]))
