"""Prometheus metrics of one server instance: sockets, meetings, ops, latency, fan-out lag."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from app.realtime.hub import Hub


class Metrics:
    """The instance's metrics, in a registry of its own (so that tests can run several apps)."""

    def __init__(self, hub: Hub) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.sockets = Gauge("avoin_sockets_open", "Live sockets open", registry=r)
        self.sockets.set_function(hub.connection_count)
        self.meetings = Gauge("avoin_meetings_live", "Meetings with a socket here", registry=r)
        self.meetings.set_function(lambda: hub.room_count)
        self.ops = Counter("avoin_ops", "Ops applied, by op", ["op"], registry=r)
        self.latency = Histogram(
            "avoin_op_seconds",
            "From receiving an op to its event committed and published",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=r,
        )
        self.errors = Counter("avoin_errors", "Error frames sent, by code", ["code"], registry=r)
        self.resumes = Counter("avoin_resumes", "Reconnects that resumed with since", registry=r)
        self.lag = Histogram(
            "avoin_fanout_lag_seconds",
            "From publishing an event to this instance receiving it from the fan-out",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5),
            registry=r,
        )
        hub.on_lag = self.lag.observe
        # Each op's counter, looked up once: `labels()` costs more than the count itself.
        self._op_counters: dict[str, Any] = {}

    def op_applied(self, op: str, seconds: float) -> None:
        """Count an applied op and how long it took."""
        counter = self._op_counters.get(op)
        if counter is None:
            counter = self._op_counters[op] = self.ops.labels(op)
        counter.inc()
        self.latency.observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
