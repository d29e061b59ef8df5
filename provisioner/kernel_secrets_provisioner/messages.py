"""Redacting one Jupyter wire-protocol message, as the multipart frames it travels in.

A message is ``[identities..., b"<IDS|MSG>", signature, header, parent_header, metadata, content,
buffers...]``. Only metadata and content are rewritten: the header and parent header are the
protocol's bookkeeping (ids, dates, message types), and buffers are opaque binary data.
"""

from __future__ import annotations

import hmac

from jupyter_client.session import DELIM, Session

from .redaction import Redactor

_SIGNED_PARTS = 4  # header, parent header, metadata, content


class MessageRedactor:
    """Rewrites messages that contain a secret value and re-signs them with the session's key."""

    def __init__(self, session: Session, redactor: Redactor) -> None:
        self._session = session
        self._redactor = redactor

    def redact(self, frames: list[bytes]) -> list[bytes] | None:
        """The frames to forward: the originals if nothing matched. None: drop the message.

        A message with a bad signature is dropped rather than forwarded, because re-signing it
        after redaction would turn a forgery into a message the server trusts; the server would
        have refused it anyway.
        """
        try:
            delimiter_at = frames.index(DELIM)
        except ValueError:
            return frames  # not a Jupyter message: neither this proxy nor the server can read it
        signature, *signed = frames[delimiter_at + 1 : delimiter_at + 2 + _SIGNED_PARTS]
        if len(signed) < _SIGNED_PARTS:
            return frames
        if not self._is_signed_by_session(signature, signed):
            return None
        header, parent_header, metadata, content = signed
        new_metadata = self._redacted_json(metadata)
        new_content = self._redacted_json(content)
        if new_metadata is metadata and new_content is content:
            return frames
        new_signed = [header, parent_header, new_metadata, new_content]
        buffers = frames[delimiter_at + 2 + _SIGNED_PARTS :]
        identities = frames[:delimiter_at]
        return [*identities, DELIM, self._session.sign(new_signed), *new_signed, *buffers]

    def _is_signed_by_session(self, signature: bytes, signed: list[bytes]) -> bool:
        if self._session.auth is None:
            return True  # an empty key: the connection does not sign messages
        return hmac.compare_digest(signature, self._session.sign(signed))

    def _redacted_json(self, packed: bytes) -> bytes:
        """The packed JSON redacted, or the very same bytes if no string in it held a value."""
        tree = self._session.unpack(packed)
        redacted = self._redactor.redact_tree(tree)
        return packed if redacted is tree else self._session.pack(redacted)
