"""Machine behaviour models: pure, seeded `step(dt)` state machines with PLC counters and sensors.

Python 2.7/3 common subset (also runs on Jython for in-process replays). Nothing here knows about
sockets, tags or wall time: a model advances only when `step(dt)` is called with elapsed seconds.

Decisions (documented in docs/simulator.md):
- Counters are UInt32 PLC counters: they wrap at 2**32 and go to 0 on `restart()` (a PLC restart).
  Every counter also keeps its true total, which neither wraps nor resets (ground truth for tests).
- `InfeedCount` = parts taken in, `OutfeedCount` = good parts discharged downstream,
  `RejectCount` = parts rejected; infeed == outfeed + reject (no work in progress inside a machine).
- Micro-stops are reported as state Faulted with a fault code >= 100 lasting a few seconds; major
  faults (MTBF/MTTR) use codes below 100. OEE logic tells them apart by duration or code.
- Random draws come from `SeededRandom` (SplitMix64 behind the stdlib `random.Random` interface),
  using only `random()`, `gauss()` and `expovariate()`: the same sequence on CPython and Jython.
"""
from __future__ import absolute_import, division, print_function

import math
import random
from collections import deque

__all__ = [
    "BLOCKED", "Buffer", "CHANGEOVER", "Counter", "FAULTED", "FAULT_CODES", "Gauge", "IDLE",
    "Machine", "PLANNED_STOP", "RUNNING", "STARVED", "STATE_NAMES", "Scale", "Scanner", "SeededRandom",
    "Source", "UINT32",
]

RUNNING = 1
IDLE = 2
STARVED = 3
BLOCKED = 4
FAULTED = 5
PLANNED_STOP = 6
CHANGEOVER = 7

STATE_NAMES = {
    RUNNING: "Running", IDLE: "Idle", STARVED: "Starved", BLOCKED: "Blocked",
    FAULTED: "Faulted", PLANNED_STOP: "PlannedStop", CHANGEOVER: "Changeover",
}

UINT32 = 2 ** 32

# Major faults (MTBF/MTTR) below 100, micro-stops from 100.
FAULT_CODES = {
    10: "Motor overload",
    11: "Emergency stop",
    12: "Guard door open",
    13: "Air pressure low",
    14: "Drive fault",
    101: "Product jam, cleared",
    102: "Photo-eye blocked, cleared",
    103: "Material splice",
}
MAJOR_FAULTS = (10, 11, 12, 13, 14)
MICRO_FAULTS = (101, 102, 103)


_MASK64 = (1 << 64) - 1


class SeededRandom(random.Random):
    """`random.Random` whose `random()` is SplitMix64: the same sequence on CPython and Jython.

    Jython seeds its Mersenne Twister differently from CPython, so `random.Random(seed)` gives
    other numbers there. `gauss()` and `expovariate()` of the stdlib build on `random()` and are
    kept. Only integer arithmetic and one exact multiplication produce each float.
    """

    def __init__(self, seed=0):
        self._state = 0
        random.Random.__init__(self, seed)

    def seed(self, a=None, version=2):
        self._state = int(a or 0) & _MASK64
        self.gauss_next = None

    def random(self):
        self._state = (self._state + 0x9E3779B97F4A7C15) & _MASK64
        z = self._state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        z ^= z >> 31
        return (z >> 11) * (1.0 / 9007199254740992.0)

    def getstate(self):
        return (self._state, self.gauss_next)

    def setstate(self, state):
        self._state, self.gauss_next = state


def event_indexes(rng, holder, name, p, count):
    """Indexes (0 .. count-1) of the trials that see an event of probability `p` in `count` trials.

    The same law as testing every trial, drawn once per event: the cumulative hazard to the next
    event is exponential and kept in `holder.<name>` from one batch to the next, so `p` may change
    between batches (a drifting gauge).
    """
    if p <= 0.0 or count <= 0:
        return []
    if p >= 1.0:
        return list(range(count))
    hazard = -math.log(1.0 - p)
    need = getattr(holder, name, None)
    if need is None:
        need = rng.expovariate(1.0)
    found = []
    position = 0
    while True:
        trials = max(1, int(math.ceil(need / hazard)))
        if position + trials > count:
            need -= (count - position) * hazard
            break
        position += trials
        found.append(position - 1)
        need = rng.expovariate(1.0)
    setattr(holder, name, need)
    return found


def pick(rng, items):
    """One item of a sequence, drawn with `random()` only (same on Python 2 and 3)."""
    return items[int(rng.random() * len(items))]


class Counter(object):
    """A UInt32 PLC counter with its true total."""

    def __init__(self, start=0, modulus=UINT32):
        self.modulus = modulus
        self.value = start % modulus
        self.total = 0

    def add(self, n=1):
        self.total += n
        self.value = (self.value + n) % self.modulus

    def reset(self):
        """PLC restart: the register goes to 0; the true total is kept."""
        self.value = 0


class Buffer(object):
    """A bounded conveyor between two machines, holding part identities in order."""

    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("buffer capacity must be at least 1, got %r" % (capacity,))
        self.capacity = capacity
        self.parts = deque()

    def __len__(self):
        return len(self.parts)

    def has_part(self):
        return len(self.parts) > 0

    def has_room(self):
        return len(self.parts) < self.capacity

    def available(self):
        return len(self.parts)

    def room(self):
        return self.capacity - len(self.parts)

    def take(self):
        return self.parts.popleft()

    def take_many(self, count):
        take = self.parts.popleft
        return [take() for _ in range(count)]

    def put(self, part):
        self.parts.append(part)

    def put_many(self, parts):
        self.parts.extend(parts)


class Source(object):
    """Endless supply at the head of a line: parts are (lot, serial) pairs, serials numbered."""

    def __init__(self, serial_prefix, lot="LOT-0001", first_serial=1):
        self.serial_prefix = serial_prefix
        self.lot = lot
        self.next_serial = first_serial

    def __len__(self):
        return 1

    def has_part(self):
        return True

    def available(self):
        return 1 << 30

    def take(self):
        part = (self.lot, "%s%07d" % (self.serial_prefix, self.next_serial))
        self.next_serial += 1
        return part

    def take_many(self, count):
        first, lot, prefix = self.next_serial, self.lot, self.serial_prefix
        self.next_serial += count
        return [(lot, "%s%07d" % (prefix, n)) for n in range(first, first + count)]


class Sink(object):
    """Endless discharge at the end of a line; keeps the count of parts it received."""

    def __init__(self):
        self.count = 0

    def has_room(self):
        return True

    def room(self):
        return 1 << 30

    def put(self, part):
        self.count += 1

    def put_many(self, parts):
        self.count += len(parts)


class Gauge(object):
    """A measuring channel: normal values around `mean + shift + trend * hours`, checked against limits.

    `shift` (a step change) and `trend_per_hour` (a drift) are what SPC rules should catch.
    """

    def __init__(self, mean, sigma, lsl=None, usl=None, shift=0.0, trend_per_hour=0.0, digits=3):
        self.mean = float(mean)
        self.sigma = float(sigma)
        self.lsl = lsl
        self.usl = usl
        self.shift = float(shift)
        self.trend_per_hour = float(trend_per_hour)
        self.digits = digits
        self.hours = 0.0
        self.last = None
        self.count = 0
        self.out_of_spec = 0
        self.history = None

    def record(self, keep=True):
        """Keep every value in `history` as (part serial, value) - for tests and SPC checks."""
        self.history = [] if keep else None

    def centre(self):
        return self.mean + self.shift + self.trend_per_hour * self.hours

    def advance(self, dt):
        self.hours += dt / 3600.0

    def out_of_spec_rate(self):
        """Probability that one measurement falls outside the limits now."""
        centre, rate = self.centre(), 0.0
        if self.sigma <= 0:
            return 0.0 if (self.lsl is None or centre >= self.lsl) and (self.usl is None or centre <= self.usl) else 1.0
        if self.lsl is not None:
            rate += 0.5 * math.erfc((centre - self.lsl) / (self.sigma * math.sqrt(2.0)))
        if self.usl is not None:
            rate += 0.5 * math.erfc((self.usl - centre) / (self.sigma * math.sqrt(2.0)))
        return min(rate, 1.0)

    def measure_batch(self, rng, count):
        """Measure `count` parts at once: the indexes of those out of the limits (drawn with the
        out-of-spec rate), and one measured value shown as the last. Not with `record()`."""
        found = event_indexes(rng, self, "_out_need", self.out_of_spec_rate(), count)
        self.count += count
        self.out_of_spec += len(found)
        self.last = round(rng.gauss(self.centre(), self.sigma), self.digits)
        return found

    def measure(self, rng, part=None):
        value = round(rng.gauss(self.centre(), self.sigma), self.digits)
        self.last = value
        self.count += 1
        ok = (self.lsl is None or value >= self.lsl) and (self.usl is None or value <= self.usl)
        if not ok:
            self.out_of_spec += 1
        if self.history is not None:
            self.history.append((part[1] if part else None, value))
        return value, ok


class Scale(Gauge):
    """A weighing channel: a gauge whose zero drifts (g per hour) until `tare()` re-zeroes it."""

    def __init__(self, target, sigma, tolerance, drift_per_hour=0.0, digits=1):
        Gauge.__init__(self, target, sigma, target - tolerance, target + tolerance,
                       trend_per_hour=drift_per_hour, digits=digits)
        self.tolerance = tolerance

    def set_target(self, target):
        self.mean = float(target)
        self.lsl = self.mean - self.tolerance
        self.usl = self.mean + self.tolerance

    def tare(self):
        self.hours = 0.0


class Scanner(object):
    """A barcode reader at a station: reads the part's lot or serial, with misreads and no-reads.

    `LastScan` is the code read ("" on a no-read); `ScanCount` counts reads (misreads included);
    `NoReadCount` counts no-reads. Ground truth: `reads`, `misreads`, `no_reads`, `true_codes`.
    """

    def __init__(self, what="serial", misread_rate=0.0, noread_rate=0.0, every=1):
        if what not in ("lot", "serial"):
            raise ValueError("scanner reads 'lot' or 'serial', got %r" % (what,))
        self.what = what
        self.misread_rate = misread_rate
        self.noread_rate = noread_rate
        self.every = every
        self.last = ""
        self.scan_count = Counter()
        self.noread_count = Counter()
        self.misreads = 0
        self.true_codes = None
        self._parts = 0

    def record(self, keep=True):
        """Keep every (true code, code read) in `true_codes`."""
        self.true_codes = [] if keep else None

    def scan_batch(self, rng, parts):
        """Scan a batch of parts (every `every`-th): counts drawn by event, the last code shown."""
        first = (-self._parts) % self.every  # index of the first part this scanner reads
        self._parts += len(parts)
        scanned = parts[first::self.every] if self.every > 1 else parts
        if not scanned:
            return
        no_reads = event_indexes(rng, self, "_noread_need", self.noread_rate, len(scanned))
        misreads = event_indexes(rng, self, "_misread_need", self.misread_rate, len(scanned))
        self.noread_count.add(len(no_reads))
        self.scan_count.add(len(scanned) - len(no_reads))
        self.misreads += len(set(misreads) - set(no_reads))
        last = len(scanned) - 1
        code = scanned[last][0] if self.what == "lot" else scanned[last][1]
        if no_reads and no_reads[-1] == last:
            self.last = ""
        elif misreads and misreads[-1] == last:
            self.last = code[:-1] + ("X" if code[-1:] != "X" else "Y")
        else:
            self.last = code

    def scan(self, rng, part):
        self._parts += 1
        if self._parts % self.every:
            return
        code = part[0] if self.what == "lot" else part[1]
        draw = rng.random()
        if draw < self.noread_rate:
            read = ""
            self.noread_count.add()
        else:
            read = code
            if draw < self.noread_rate + self.misread_rate:
                read = code[:-1] + ("X" if code[-1:] != "X" else "Y")
                self.misreads += 1
            self.scan_count.add()
        self.last = read
        if self.true_codes is not None:
            self.true_codes.append((code, read))


class Machine(object):
    """One machine: state machine, counters, speed, faults, micro-stops, sensors.

    Args:
        name: identity used in messages.
        ideal_rate: nameplate rate in parts/min.
        seed: integer seed of this machine's own `random.Random`.
        speed_loss: fraction of the ideal rate lost while running (0.05 = runs at 95 %).
        speed_noise: relative standard deviation of the running speed, redrawn each step.
        mtbf, mttr: mean running seconds between major faults and mean repair seconds (None = never).
        micro_stop_mtbf: mean running seconds between micro-stops (None = never);
            `micro_stop_range` = (min, max) seconds of one micro-stop.
        reject_rate: probability that a part is rejected for a reason no sensor measures.
        counter_start: the value the PLC counters hold when the simulation starts.
        wait_delay: seconds a machine must wait for a part (or for room) before it reports
            Starved (Blocked), as PLCs debounce these states; a machine paced by a slower
            neighbour keeps reporting Running.
        noise_period: running seconds between two draws of the speed noise.
    """

    kind = "Machine"
    writable = ("Permissive",)

    def __init__(self, name, ideal_rate=200.0, seed=0, speed_loss=0.0, speed_noise=0.0,
                 mtbf=None, mttr=120.0, micro_stop_mtbf=None, micro_stop_range=(2.0, 20.0),
                 reject_rate=0.0, counter_start=0, wait_delay=0.0, noise_period=5.0):
        if ideal_rate <= 0:
            raise ValueError("ideal rate of %r must be positive, got %r" % (name, ideal_rate))
        self.name = name
        self.ideal_rate = float(ideal_rate)
        self.rng = SeededRandom(seed)
        self.speed_loss = speed_loss
        self.speed_noise = speed_noise
        self.mtbf = mtbf
        self.mttr = mttr
        self.micro_stop_mtbf = micro_stop_mtbf
        self.micro_stop_range = micro_stop_range
        self.reject_rate = reject_rate
        self.infeed = Counter(counter_start)
        self.outfeed = Counter(counter_start)
        self.reject = Counter(counter_start)
        self.state = IDLE
        self.fault_code = 0
        self.speed = 0.0
        self.permissive = True
        self.upstream = Source("SN")
        self.downstream = Sink()
        self.clock = 0.0
        self.state_seconds = {}
        self.restarts = 0
        self.scanner = None
        self.sensors = []
        self._stop_state = None
        self._stop_left = 0.0
        self._progress = 0.0
        self.wait_delay = float(wait_delay)
        self.noise_period = float(noise_period)
        self.transitions = None
        self._waited = 0.0
        self._noise = None
        self._noise_left = 0.0
        self._fault_in = self._micro_in = self._reject_in = None
        self._fault_mtbf = self._micro_mtbf = self._reject_p = None

    def track_transitions(self):
        """Keep every change of (State, FaultCode) as (machine clock, state, code) in
        `transitions`, for a driver that reports changes at the instant they happen."""
        if self.transitions is None:
            self.transitions = []
        return self.transitions

    def add_sensor(self, member, gauge, rejects=True):
        """Measure every part with `gauge`, shown as `member`; out-of-limit parts are rejected if `rejects`."""
        self.sensors.append((member, gauge, rejects))
        return gauge

    # ---- commands -------------------------------------------------------------------------
    def plan_stop(self, seconds):
        """Planned stop (break, meeting) for `seconds`."""
        self._start_stop(PLANNED_STOP, seconds, 0)

    def changeover(self, seconds):
        """Product changeover for `seconds`."""
        self._start_stop(CHANGEOVER, seconds, 0)

    def fault(self, code, seconds):
        """Force a fault with `code` for `seconds` (fault injection)."""
        self._start_stop(FAULTED, seconds, code)

    def restart(self):
        """PLC restart: counters go to 0, any stop is cleared, the machine comes back idle."""
        for counter in self.counters():
            counter.reset()
        self._stop_state = None
        self._stop_left = 0.0
        self._progress = 0.0
        self._waited = 0.0
        self._set_state(IDLE, 0)
        self.speed = 0.0
        self.restarts += 1

    def write(self, member, value):
        """A write from the MES into a writable member."""
        if member not in self.writable:
            raise KeyError("member %r of %r is not writable" % (member, self.name))
        self._write(member, value)

    def _write(self, member, value):
        if member == "Permissive":
            self.permissive = bool(value)

    # ---- stepping -------------------------------------------------------------------------
    def step(self, dt):
        """Advance the machine by `dt` seconds.

        The step is played analytically: stops (commanded, faults, micro-stops) begin and end at
        their own instants inside the step, the running time in between makes `rate * time`
        parts (as many as the upstream holds and the downstream has room for). The running
        seconds to the next fault and the next micro-stop are drawn when the previous one ends,
        so the result does not depend on how the time is cut into steps, except for the flow
        between machines, which moves once per step.
        """
        if dt <= 0:
            return
        self._advance_sensors(dt)
        left = float(dt)
        while left > 1e-9:
            if self._stop_state is not None:
                used = min(left, self._stop_left)
                self._stop_left -= used
                self._set_state(self._stop_state, self.fault_code)
                self.speed = 0.0
                self._spend(self._stop_state, used)
                left -= used
                if self._stop_left <= 1e-9:
                    self._stop_state = None  # the fault code stays visible until the machine runs
                continue
            if not self.permissive:
                self._set_state(IDLE, 0)
                self.speed = 0.0
                self._spend(IDLE, left)
                return
            run = self._until_stop(left)
            self._run(run)
            left -= run
            self._count_down(run)

    def _spend(self, state, seconds):
        self.clock += seconds
        self.state_seconds[state] = self.state_seconds.get(state, 0.0) + seconds

    def _set_state(self, state, code):
        if self.transitions is not None and (state != self.state or code != self.fault_code):
            self.transitions.append((self.clock, state, code))
        self.state = state
        self.fault_code = code

    def _draws(self):
        """(seconds to the next fault, seconds to the next micro-stop), drawn when needed."""
        if self._fault_in is None or self._fault_mtbf != self.mtbf:
            self._fault_mtbf = self.mtbf
            self._fault_in = self.rng.expovariate(1.0 / self.mtbf) if self.mtbf else None
        if self._micro_in is None or self._micro_mtbf != self.micro_stop_mtbf:
            self._micro_mtbf = self.micro_stop_mtbf
            self._micro_in = self.rng.expovariate(1.0 / self.micro_stop_mtbf) if self.micro_stop_mtbf else None

    def _until_stop(self, left):
        self._draws()
        run = left
        if self._fault_in is not None and self._fault_in < run:
            run = max(self._fault_in, 0.0)
        if self._micro_in is not None and self._micro_in < run:
            run = max(self._micro_in, 0.0)
        return run

    def _count_down(self, run):
        """Running time passed: start the fault or micro-stop that is due."""
        if self._fault_in is not None:
            self._fault_in -= run
        if self._micro_in is not None:
            self._micro_in -= run
        if self._fault_in is not None and self._fault_in <= 1e-9:
            self._fault_in = None
            code = pick(self.rng, MAJOR_FAULTS)
            self._start_stop(FAULTED, self.rng.expovariate(1.0 / self.mttr), code)
        elif self._micro_in is not None and self._micro_in <= 1e-9:
            self._micro_in = None
            low, high = self.micro_stop_range
            code = pick(self.rng, MICRO_FAULTS)
            self._start_stop(FAULTED, low + (high - low) * self.rng.random(), code)

    def _current_speed(self, run):
        """The running speed; the noise is redrawn every `noise_period` running seconds."""
        if not self.speed_noise:
            return self.ideal_rate * (1.0 - self.speed_loss)
        self._noise_left -= run
        if self._noise_left <= 0.0 or self._noise is None:
            self._noise = self.rng.gauss(0.0, self.speed_noise)
            self._noise_left = self.noise_period
        return max(0.0, self.ideal_rate * (1.0 - self.speed_loss) * (1.0 + self._noise))

    def _run(self, run):
        """Run for `run` seconds: make the parts the time, the upstream and the downstream allow."""
        if run <= 0:
            return
        speed = self._current_speed(run)
        self._progress += speed * run / 60.0
        want = int(self._progress)
        made, limit = want, None
        if want:
            available = self.upstream.available()
            if available < made:
                made, limit = available, STARVED
            room = self.downstream.room()
            if room < made:
                made, limit = room, BLOCKED
            if made:
                self._make(made)
                self._progress -= made
            if limit is not None:
                self._progress = min(self._progress, 1.0)
        if made:
            self._waited = 0.0
            state = RUNNING
        elif limit is not None:
            self._waited += run
            state = limit if self._waited >= self.wait_delay else self.state
            if state not in (RUNNING, STARVED, BLOCKED):
                state = RUNNING
        else:
            state = RUNNING
        self._set_state(state, 0)
        self.speed = round(speed, 2) if state == RUNNING else 0.0
        self._spend(state, run)

    def _make(self, count):
        """Take `count` parts from upstream and process them."""
        if self.scanner is None and not self.sensors and type(self)._inspect is Machine._inspect:
            # nothing measured: the parts move as a batch, random rejects drawn by gap
            parts = self.upstream.take_many(count)
            rejected = self._rejects_in_batch(count) if self.reject_rate else ()
            if rejected:
                drop = set(rejected)
                parts = [part for index, part in enumerate(parts) if index not in drop]
            self.downstream.put_many(parts)
            self.infeed.add(count)
            self.outfeed.add(len(parts))
            self.reject.add(count - len(parts))
            return
        if (self.scanner is None or self.scanner.true_codes is None) and \
                all(gauge.history is None for _m, gauge, _r in self.sensors):
            self._make_batch(count)
            return
        take, put = self.upstream.take, self.downstream.put
        good_count = 0
        for _ in range(count):
            part = take()
            good = self._inspect(part)
            if good and self.reject_rate and self._reject_draw():
                good = False
            if good:
                good_count += 1
                put(part)
        self.infeed.add(count)
        self.outfeed.add(good_count)
        self.reject.add(count - good_count)

    def _make_batch(self, count):
        """Measured parts as a batch: scanner and gauge outcomes drawn by event (the same laws as
        part by part), the last part's values shown."""
        parts = self.upstream.take_many(count)
        if self.scanner is not None:
            self.scanner.scan_batch(self.rng, parts)
        bad = set()
        for _member, gauge, rejects in self.sensors:
            found = gauge.measure_batch(self.rng, count)
            if rejects:
                bad.update(found)
        bad.update(self._batch_rejects(count))
        if self.reject_rate:
            bad.update(self._rejects_in_batch(count))
        self._batch_done(count, bad)
        good = [part for index, part in enumerate(parts) if index not in bad] if bad else parts
        self.downstream.put_many(good)
        self.infeed.add(count)
        self.outfeed.add(len(good))
        self.reject.add(count - len(good))

    def _batch_rejects(self, count):
        """Indexes of a batch rejected by the machine's own check (kinds override)."""
        return ()

    def _batch_done(self, count, bad):
        """After a batch: show the last part's result (kinds override)."""

    def _rejects_in_batch(self, count):
        """Indexes of the parts of a batch of `count` rejected without a measured cause (the same
        draws as `_reject_draw` part by part)."""
        if self._reject_p != self.reject_rate or self._reject_in is None:
            self._reject_p = self.reject_rate
            self._reject_in = self._reject_gap()
        found = []
        index = self._reject_in - 1
        while index < count:
            found.append(index)
            index += self._reject_gap()
        self._reject_in = index - count + 1
        return found

    def _reject_draw(self):
        """True for a part rejected without a measured cause: the parts between two such rejects
        are drawn once (geometric), not tested part by part."""
        if self._reject_p != self.reject_rate or self._reject_in is None:
            self._reject_p = self.reject_rate
            self._reject_in = self._reject_gap()
        self._reject_in -= 1
        if self._reject_in > 0:
            return False
        self._reject_in = self._reject_gap()
        return True

    def _reject_gap(self):
        if self.reject_rate >= 1.0:
            return 1
        return 1 + int(math.log(1.0 - self.rng.random()) / math.log(1.0 - self.reject_rate))

    def _start_stop(self, state, seconds, code):
        self._stop_state = state
        self._stop_left = float(seconds)
        self._set_state(state, code)
        self.speed = 0.0

    def _inspect(self, part):
        """The scanner reads the part, then every sensor measures it; False rejects it."""
        if self.scanner is not None:
            self.scanner.scan(self.rng, part)
        good = True
        for member, gauge, rejects in self.sensors:
            ok = gauge.measure(self.rng, part)[1]
            if rejects and not ok:
                good = False
        return good

    def _advance_sensors(self, dt):
        for member, gauge, rejects in self.sensors:
            gauge.advance(dt)

    # ---- reading --------------------------------------------------------------------------
    def counters(self):
        found = [self.infeed, self.outfeed, self.reject]
        if self.scanner is not None:
            found.extend([self.scanner.scan_count, self.scanner.noread_count])
        return found

    def counter_members(self):
        """Names of the members that are UInt32 PLC counters."""
        names = ["InfeedCount", "OutfeedCount", "RejectCount"]
        if self.scanner is not None:
            names.extend(["ScanCount", "NoReadCount"])
        return names

    def values(self):
        """Current value of every member, by member name (what the PLC shows)."""
        found = {
            "State": self.state,
            "FaultCode": self.fault_code,
            "InfeedCount": self.infeed.value,
            "OutfeedCount": self.outfeed.value,
            "RejectCount": self.reject.value,
            "Speed": self.speed,
            "Permissive": self.permissive,
        }
        if self.scanner is not None:
            found["LastScan"] = self.scanner.last
            found["ScanCount"] = self.scanner.scan_count.value
            found["NoReadCount"] = self.scanner.noread_count.value
        for member, gauge, rejects in self.sensors:
            found[member] = gauge.last if gauge.last is not None else 0.0
        return found

    def totals(self):
        """Ground truth: true totals that neither wrap nor reset, and seconds per state name."""
        found = {
            "infeed": self.infeed.total,
            "outfeed": self.outfeed.total,
            "reject": self.reject.total,
            "seconds": dict((STATE_NAMES[s], t) for s, t in self.state_seconds.items()),
        }
        if self.scanner is not None:
            found["scans"] = self.scanner.scan_count.total
            found["no_reads"] = self.scanner.noread_count.total
            found["misreads"] = self.scanner.misreads
        for member, gauge, rejects in self.sensors:
            found[member] = {"count": gauge.count, "out_of_spec": gauge.out_of_spec}
        return found
