"""Live delivery: per-process hub of sockets, and the fan-out between processes."""
