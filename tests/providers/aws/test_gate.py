"""The per-(account, region, service) concurrency gate: AIMD on throttling."""

from __future__ import annotations

import threading

from cloudposture_aws.calls import Gate


def test_throttling_cuts_the_cap_once_per_burst_and_successes_restore_it() -> None:
    gate = Gate(16)
    gate.throttled()
    gate.throttled()  # the same burst: one signal
    assert gate.limit == 12
    gate._last_cut -= Gate.COOLDOWN  # a later burst
    gate.throttled()
    assert gate.limit == 9
    for _ in range(200):
        gate.succeeded()
    assert gate.limit == 16  # back to the ceiling, never above


def test_the_cap_holds_callers_until_a_request_finishes() -> None:
    gate = Gate(2)
    gate.limit = 1.0
    gate.acquire()
    entered = threading.Event()

    def second() -> None:
        gate.acquire()
        entered.set()
        gate.release()

    worker = threading.Thread(target=second, daemon=True)
    worker.start()
    assert not entered.wait(0.05)  # held: one request in flight is the cap
    gate.release()
    assert entered.wait(5)
    worker.join(5)
