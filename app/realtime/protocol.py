"""The live sockets' protocol: uvicorn's sans-io websockets protocol, reading a few messages
ahead instead of one."""

from __future__ import annotations

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

READ_AHEAD = 16  # messages waiting for the app before the socket stops reading


class LiveProtocol(WebSocketsSansIOProtocol):
    """uvicorn pauses a socket after every message and resumes it once the app has read it: two
    epoll changes per message, and a phone's next frame is not read before the app's turn comes.
    This protocol pauses only when READ_AHEAD messages wait: the same backpressure, a little
    further out (uvicorn resumes the socket when the app has read them all)."""

    def send_receive_event_to_app(self) -> None:
        paused = self.read_paused
        self.read_paused = True  # so that uvicorn's method queues the message without pausing
        try:
            super().send_receive_event_to_app()
        finally:
            self.read_paused = paused
        if not paused and self.queue.qsize() >= READ_AHEAD:
            self.read_paused = True
            self.transport.pause_reading()
