"""Machine kinds of the plant tag model (`_types_/<Kind>`): a `Machine` with the sensors of that kind.

Python 2.7/3 common subset. Each class name equals the UDT name it plays; `KINDS` maps the UDT
name to the class. Default sensor figures are typical values for the product the kind handles;
every one can be changed after construction (`machine.fill.shift = 2.0`).
"""
from __future__ import absolute_import, division, print_function

from simulator.models import Gauge, Machine, Scale, Scanner, event_indexes

__all__ = [
    "CasePacker", "Capper", "Checkweigher", "EndOfLineTest", "Filler", "KINDS", "Labeler",
    "Pack", "Press", "TorqueStation", "VisionInspection", "machine_class",
]

PASS = 1
FAIL = 2


class Filler(Machine):
    """Fills containers; `FillVolume` is the measured fill, `FillTarget` the writable set-point."""

    kind = "Filler"
    writable = ("Permissive", "FillTarget")

    def __init__(self, name, **options):
        Machine.__init__(self, name, **options)
        self.fill = self.add_sensor("FillVolume", Gauge(500.0, 1.2, 495.0, 505.0, digits=2))

    def _write(self, member, value):
        if member == "FillTarget":
            self.fill.mean = float(value)
            self.fill.lsl = self.fill.mean - 5.0
            self.fill.usl = self.fill.mean + 5.0
        else:
            Machine._write(self, member, value)

    def values(self):
        found = Machine.values(self)
        found["FillTarget"] = self.fill.mean
        return found


class Capper(Machine):
    """Applies caps; `CapTorque` per container."""

    kind = "Capper"

    def __init__(self, name, **options):
        Machine.__init__(self, name, **options)
        self.torque = self.add_sensor("CapTorque", Gauge(2.0, 0.08, 1.6, 2.4))


class Labeler(Machine):
    """Labels containers and verifies the printed lot code with a scanner."""

    kind = "Labeler"

    def __init__(self, name, **options):
        Machine.__init__(self, name, **options)
        self.scanner = Scanner("lot", misread_rate=0.0005, noread_rate=0.002)


class Checkweigher(Machine):
    """Weighs every pack; under/over weight is rejected. The scale zero drifts until tared."""

    kind = "Checkweigher"
    writable = ("Permissive", "TargetWeight")

    def __init__(self, name, **options):
        Machine.__init__(self, name, **options)
        self.scale = self.add_sensor("Weight", Scale(520.0, 1.5, 7.5, drift_per_hour=0.4))

    def _write(self, member, value):
        if member == "TargetWeight":
            self.scale.set_target(value)
        else:
            Machine._write(self, member, value)

    def values(self):
        found = Machine.values(self)
        found["TargetWeight"] = self.scale.mean
        return found


class CasePacker(Machine):
    """Packs units into cases of 12; scans the lot on each case label."""

    kind = "CasePacker"

    def __init__(self, name, **options):
        Machine.__init__(self, name, **options)
        self.scanner = Scanner("lot", noread_rate=0.001, every=12)


class Press(Machine):
    """Presses the part and reads its serial; `PressForce` is the peak force."""

    kind = "Press"

    def __init__(self, name, **options):
        Machine.__init__(self, name, **options)
        self.scanner = Scanner("serial", misread_rate=0.0002, noread_rate=0.001)
        self.force = self.add_sensor("PressForce", Gauge(12.0, 0.25, 11.0, 13.0))


class TorqueStation(Machine):
    """Runs a fastening; `Torque` is the final torque."""

    kind = "TorqueStation"

    def __init__(self, name, **options):
        Machine.__init__(self, name, **options)
        self.torque = self.add_sensor("Torque", Gauge(8.0, 0.12, 7.4, 8.6))


class VisionInspection(Machine):
    """Camera check of each part: `InspectionResult` 1 pass / 2 fail, failed parts rejected."""

    kind = "VisionInspection"

    def __init__(self, name, fail_rate=0.004, **options):
        Machine.__init__(self, name, **options)
        self.scanner = Scanner("serial", noread_rate=0.001)
        self.fail_rate = fail_rate
        self.result = 0

    def _inspect(self, part):
        good = Machine._inspect(self, part)
        if self.rng.random() < self.fail_rate:
            good = False
        self.result = PASS if good else FAIL
        return good

    def _batch_rejects(self, count):
        return event_indexes(self.rng, self, "_fail_need", self.fail_rate, count)

    def _batch_done(self, count, bad):
        self.result = FAIL if count - 1 in bad else PASS

    def values(self):
        found = Machine.values(self)
        found["InspectionResult"] = self.result
        return found


class EndOfLineTest(Machine):
    """Functional test: `Measurement` (leak rate) against its upper limit; `TestResult` 1 pass / 2 fail."""

    kind = "EndOfLineTest"

    def __init__(self, name, **options):
        Machine.__init__(self, name, **options)
        self.scanner = Scanner("serial", noread_rate=0.001)
        self.gauge = self.add_sensor("Measurement", Gauge(0.50, 0.04, None, 0.65))
        self.result = 0

    def _inspect(self, part):
        good = Machine._inspect(self, part)
        self.result = PASS if good else FAIL
        return good

    def _batch_done(self, count, bad):
        self.result = FAIL if count - 1 in bad else PASS

    def values(self):
        found = Machine.values(self)
        found["TestResult"] = self.result
        return found


class Pack(Machine):
    """Packs finished serials and weighs each box."""

    kind = "Pack"

    def __init__(self, name, **options):
        Machine.__init__(self, name, **options)
        self.scanner = Scanner("serial", noread_rate=0.001)
        self.scale = self.add_sensor("Weight", Scale(1450.0, 4.0, 25.0, drift_per_hour=0.5))


KINDS = dict((cls.kind, cls) for cls in (
    Machine, Filler, Capper, Labeler, Checkweigher, CasePacker, Press, TorqueStation,
    VisionInspection, EndOfLineTest, Pack,
))


def machine_class(type_id):
    """The model class for a UDT `typeId` (`Filler`, `Line/Filler` ...); unknown kinds run as `Machine`."""
    return KINDS.get(type_id.split("/")[-1], Machine)
