"""A ZeroMQ proxy between the notebook server and one kernel that redacts what the kernel sends.

The server keeps the ports jupyter_client allocated; the proxy binds them and connects to the
kernel's own loopback ports. Requests from the server pass unchanged; every message from the
kernel (iopub, shell and control replies, stdin requests) goes through a MessageRedactor.
Heartbeats pass unchanged both ways.

It runs on a thread of the server process rather than in a child process. The values are in the
server's memory anyway (the provisioner reads them), so a child process would isolate nothing;
a thread cannot be orphaned holding the kernel's ports if the server dies, needs no way to hand
it the values, and stops synchronously, which a restart needs: the next proxy binds the same
server-facing ports, so the previous one must have released them first.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import zmq

from .messages import MessageRedactor

Transform = Callable[[list[bytes]], list[bytes] | None]


@dataclass(frozen=True)
class _Channel:
    name: str
    server_side: int  # the socket type facing the server's clients
    kernel_side: int  # the socket type facing the kernel's socket
    redacts_kernel_messages: bool


_KERNEL_RECONNECT_MS = 10

_CHANNELS = (
    _Channel("shell", zmq.ROUTER, zmq.DEALER, True),
    _Channel("control", zmq.ROUTER, zmq.DEALER, True),
    _Channel("stdin", zmq.ROUTER, zmq.DEALER, True),
    _Channel("iopub", zmq.PUB, zmq.SUB, True),
    _Channel("hb", zmq.ROUTER, zmq.DEALER, False),
)


@dataclass(frozen=True)
class _Route:
    destination: zmq.Socket
    transform: Transform | None  # None: forward the frames as they are


class RedactingProxy:
    """The running proxy of one kernel launch. Create it with start(); end it with stop()."""

    def __init__(self, context: zmq.Context, routes: dict[zmq.Socket, _Route], log: logging.Logger):
        self._context = context
        self._routes = routes
        self._log = log
        self._thread = threading.Thread(target=self._run, name="kernel-secrets-proxy", daemon=True)

    @classmethod
    def start(
        cls,
        server_facing: Mapping[str, Any],
        kernel_facing: Mapping[str, Any],
        message_redactor: MessageRedactor,
        log: logging.Logger,
    ) -> RedactingProxy:
        """Bind the server-facing ports, connect to the kernel's, and forward until stopped.

        Raises zmq.ZMQError if a server-facing port cannot be bound.
        """
        # A context of its own: terminating it is how stop() ends the thread and knows, when
        # term() returns, that every socket is closed and its port released.
        context = zmq.Context()
        context.setsockopt(zmq.LINGER, 0)
        try:
            routes = _connect_routes(context, server_facing, kernel_facing, message_redactor)
        except zmq.ZMQError:
            context.destroy()
            raise
        proxy = cls(context, routes, log)
        proxy._thread.start()
        return proxy

    def stop(self) -> None:
        """Stop forwarding; when this returns, the server-facing ports are free again."""
        self._context.term()
        self._thread.join()

    def _run(self) -> None:
        poller = zmq.Poller()
        for source in self._routes:
            poller.register(source, zmq.POLLIN)
        try:
            while True:
                for socket, _ in poller.poll():
                    self._forward(socket)
        except zmq.ContextTerminated:
            pass  # stop() was called
        except Exception as error:
            self._log.error("kernel-secrets: output proxy failed (%s)", type(error).__name__)
        finally:
            # Every socket, the iopub one that only sends included: term() waits for them all.
            for socket in {*self._routes, *(route.destination for route in self._routes.values())}:
                socket.close()

    def _forward(self, source: zmq.Socket) -> None:
        route = self._routes[source]
        frames = source.recv_multipart()
        if route.transform is not None:
            frames = self._transformed(route.transform, frames)
        if frames is not None:
            route.destination.send_multipart(frames)

    def _transformed(self, transform: Transform, frames: list[bytes]) -> list[bytes] | None:
        try:
            return transform(frames)
        except Exception as error:
            # Dropped, not forwarded: a message that could not be checked may hold a value. Only
            # the error's type is logged, since its text could quote the message.
            self._log.warning(
                "kernel-secrets: dropped a kernel message that could not be redacted (%s)",
                type(error).__name__,
            )
            return None


def _connect_routes(
    context: zmq.Context,
    server_facing: Mapping[str, Any],
    kernel_facing: Mapping[str, Any],
    message_redactor: MessageRedactor,
) -> dict[zmq.Socket, _Route]:
    # The kernel addresses stdin requests to the identity its shell request came from, and that
    # identity is this proxy's shell socket: the stdin socket must carry the same one to get them.
    kernel_side_identity = uuid.uuid4().bytes
    routes: dict[zmq.Socket, _Route] = {}
    for channel in _CHANNELS:
        to_server = context.socket(channel.server_side)
        to_server.bind(_address(server_facing, channel.name))
        to_kernel = context.socket(channel.kernel_side)
        # The proxy connects before the kernel has bound its ports. Retrying every 10 ms instead
        # of ZeroMQ's 100 ms joins iopub about when shell first answers, so the output of the
        # first request after a (re)start is not published before anyone subscribed.
        to_kernel.setsockopt(zmq.RECONNECT_IVL, _KERNEL_RECONNECT_MS)
        if channel.kernel_side == zmq.SUB:
            to_kernel.setsockopt(zmq.SUBSCRIBE, b"")
        else:
            to_kernel.setsockopt(zmq.IDENTITY, kernel_side_identity)
            routes[to_server] = _Route(to_kernel, None)
        to_kernel.connect(_address(kernel_facing, channel.name))
        redact = message_redactor.redact if channel.redacts_kernel_messages else None
        routes[to_kernel] = _Route(to_server, redact)
    return routes


def _address(connection_info: Mapping[str, Any], channel: str) -> str:
    return f"tcp://{connection_info['ip']}:{connection_info[channel + '_port']}"
