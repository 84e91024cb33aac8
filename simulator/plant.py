"""A plant of machine models built from the tag model: one model per UDT instance with OPC members.

Python 2.7/3 common subset. The tag model is the single source of truth: the machine kind comes
from the instance's `typeId`, its ideal rate from the `IdealRate` parameter, its place along the
line from `Sequence`, and the address of every member from its resolved `opcItemPath`. Machines
whose instance paths share a parent folder form one line, coupled by buffers.

Behaviour profiles: `"ideal"` (no losses: exact counts, for tests) and `"realistic"` (speed loss,
noise, MTBF/MTTR faults, micro-stops, a small reject rate); `overrides` adjust single machines.
"""
from __future__ import absolute_import, division, print_function

import math

from simulator.kinds import machine_class
from simulator.line import Line

__all__ = ["MachineSpec", "MemberSpec", "PROFILES", "Plant", "load_plant", "machine_specs"]

PROFILES = {
    "ideal": {},
    "realistic": {
        "speed_loss": 0.04, "speed_noise": 0.01, "mtbf": 2700.0, "mttr": 150.0,
        "micro_stop_mtbf": 420.0, "micro_stop_range": (3.0, 40.0), "reject_rate": 0.002,
    },
}


#: Longest sub-step of `Plant.step` (s): parts move between machines once per sub-step; at
#: 280 parts/min that is under 10 parts, well inside a buffer of 40.
MAX_STEP = 2.0
#: Seconds a machine of the plant waits for a part (or room) before it reports Starved (Blocked).
WAIT_DELAY = 5.0


class MemberSpec(object):
    """One OPC member of a machine: tag path, member name, address, data type, writability."""

    __slots__ = ("name", "path", "address", "server", "data_type", "writable")

    def __init__(self, name, path, address, server=None, data_type="Int4", writable=False):
        self.name = name
        self.path = path
        self.address = address
        self.server = server
        self.data_type = data_type
        self.writable = writable

    def __repr__(self):
        return "MemberSpec(%r, %r)" % (self.path, self.address)


class MachineSpec(object):
    """One machine instance of the tag model: path, typeId, parameter values and OPC members."""

    def __init__(self, path, type_id, parameters, members):
        self.path = path
        self.type_id = type_id
        self.parameters = parameters
        self.members = members

    @property
    def line_path(self):
        return self.path.rsplit("/", 1)[0]

    @property
    def name(self):
        return self.path.rsplit("/", 1)[-1]

    def sequence(self):
        try:
            return int(self.parameters.get("Sequence") or 0)
        except (TypeError, ValueError):
            return 0

    def ideal_rate(self, default=200.0):
        try:
            return float(self.parameters.get("IdealRate") or default)
        except (TypeError, ValueError):
            return default


def _text(value):
    try:
        return unicode(value)  # noqa: F821 - Python 2 / Jython
    except NameError:
        return str(value)


def machine_specs(model):
    """MachineSpecs of every UDT instance of a resolved tag model that has OPC members.

    `model` is a `harness.core.tagmodel.TagModel` (or anything with `providers` and `resolve()`).
    """
    specs = []
    for provider in sorted(model.providers):
        for node in model.resolve(provider):
            _collect(node, specs)
    return specs


def _collect(node, specs):
    if node.tag_type == "UdtInstance":
        members = []
        for child in node.children:
            if child.tag_type == "AtomicTag" and child.config.get("valueSource") == "opc":
                members.append(MemberSpec(
                    child.name, _text(child.path), child.config.get("opcItemPath"),
                    child.config.get("opcServer"), child.config.get("dataType", "Int4"),
                    not child.config.get("readOnly", False)))
        if members:
            specs.append(MachineSpec(_text(node.path), node.config.get("typeId", "Machine"),
                                     dict(node.parameters), members))
    for child in node.children:
        if child.tag_type in ("Folder", "UdtInstance"):
            _collect(child, specs)


class Plant(object):
    """Lines of machine models with the address of each member.

    Args:
        specs: MachineSpecs (see `machine_specs`).
        seed: plant seed; machine i (in path order) gets its own `random.Random(seed * 1009 + i)`.
        profile: a key of PROFILES.
        overrides: {machine path or name: {model option: value}} applied after the profile;
            the key "*" applies to every machine.
        buffer_capacity: parts between two machines of a line.
        max_step: longest sub-step of `step()`, in seconds.
        Every machine gets `wait_delay` = WAIT_DELAY unless the profile or an override sets it.
    """

    def __init__(self, specs, seed=0, profile="realistic", overrides=None, buffer_capacity=40, max_step=MAX_STEP):
        if profile not in PROFILES:
            raise ValueError("unknown behaviour profile %r, expected one of %s" % (profile, sorted(PROFILES)))
        overrides = overrides or {}
        self.seed = seed
        self.max_step = float(max_step)
        self.machines = {}          # machine path -> model
        self.specs = {}             # machine path -> MachineSpec
        self.by_address = {}        # opcItemPath -> (model, MemberSpec)
        self.by_path = {}           # member tag path -> (model, MemberSpec)
        ordered = sorted(specs, key=lambda spec: spec.path)
        for index, spec in enumerate(ordered):
            options = dict(PROFILES[profile])
            options.update(overrides.get("*", {}))
            options.update(overrides.get(spec.name, {}))
            options.update(overrides.get(spec.path, {}))
            options.setdefault("ideal_rate", spec.ideal_rate())
            options.setdefault("wait_delay", WAIT_DELAY)
            model = machine_class(spec.type_id)(spec.name, seed=seed * 1009 + index, **options)
            self.machines[spec.path] = model
            self.specs[spec.path] = spec
            for member in spec.members:
                if member.address:
                    self.by_address[member.address] = (model, member)
                self.by_path[member.path] = (model, member)
        self.lines = []
        for line_path in sorted(set(spec.line_path for spec in ordered)):
            on_line = sorted((s for s in ordered if s.line_path == line_path),
                             key=lambda s: (s.sequence(), s.path))
            name = line_path.rsplit("/", 1)[-1]
            self.lines.append(Line(line_path, [self.machines[s.path] for s in on_line],
                                   buffer_capacity, serial_prefix=name + "-"))

    def step(self, dt):
        """Advance every line by `dt` seconds, in sub-steps of at most `max_step` seconds.

        Parts move between machines once per sub-step, so a long step would let buffers, not
        rates, decide the flow; sub-steps keep a 30 s step equal to fifteen 2 s steps. Inside a
        sub-step every machine plays its stops and running time analytically.
        """
        if dt <= 0:
            return
        count = int(math.ceil(dt / self.max_step - 1e-9))
        for _ in range(count):
            for line in self.lines:
                line.step(dt / count)

    def machine(self, path_or_name):
        """The model at a machine path, or the only machine with that name."""
        if path_or_name in self.machines:
            return self.machines[path_or_name]
        found = [m for p, m in self.machines.items() if p.rsplit("/", 1)[-1] == path_or_name]
        if len(found) != 1:
            raise KeyError("no single machine called %r (%d match)" % (path_or_name, len(found)))
        return found[0]

    def members(self, provided_only=True):
        """Every (model, MemberSpec) in path order; only those the models give a value for by default."""
        found = []
        for path in sorted(self.machines):
            model = self.machines[path]
            provided = model.values()
            for member in self.specs[path].members:
                if member.name in provided or not provided_only:
                    found.append((model, member))
        return found

    def snapshot(self):
        """{member tag path: value} of every member the models provide."""
        values = {}
        for path, model in self.machines.items():
            provided = model.values()
            for member in self.specs[path].members:
                if member.name in provided:
                    values[member.path] = provided[member.name]
        return values

    def write(self, address, value):
        """A write to an OPC address; raises KeyError if the address is unknown or read-only."""
        model, member = self.by_address[address]
        if not member.writable:
            raise KeyError("address %r is read-only" % (address,))
        model.write(member.name, value)

    def totals(self):
        """Ground truth per machine path."""
        return dict((path, model.totals()) for path, model in self.machines.items())


def load_plant(project_dir, seed=0, profile="realistic", overrides=None, buffer_capacity=40):
    """The Plant of `project_dir`'s tag model (read with harness.core.tagmodel)."""
    from harness.core.tagmodel import load_project_tags
    return Plant(machine_specs(load_project_tags(project_dir)), seed, profile, overrides, buffer_capacity)
