import unittest
import uuid

from jupyter_client.session import DELIM, Session

from kernel_secrets_provisioner.messages import MessageRedactor
from kernel_secrets_provisioner.redaction import REDACTED, Redactor

from .support import digest, random_value


class MessageRedactorTest(unittest.TestCase):
    def setUp(self) -> None:
        self.key = uuid.uuid4().hex.encode()
        self.value = random_value()
        self.kernel_session = Session(key=self.key)
        self.server_session = Session(key=self.key)
        self.redactor = MessageRedactor(Session(key=self.key), Redactor([self.value], min_length=6))

    def serialized(
        self, content: dict, metadata: dict | None = None, buffers: list | None = None
    ) -> list[bytes]:
        message = self.kernel_session.msg("stream", content=content, metadata=metadata or {})
        frames = self.kernel_session.serialize(message, ident=[b"client-identity"])
        return frames + (buffers or [])

    def received(self, frames: list[bytes]) -> dict:
        """The message as the server decodes it, its signature checked."""
        identities, message_frames = self.server_session.feed_identities(frames)
        self.assertEqual(identities, [b"client-identity"])
        return self.server_session.deserialize(message_frames)

    def test_a_message_with_a_value_is_redacted_and_signed_again(self) -> None:
        frames = self.serialized({"name": "stdout", "text": f"token={self.value}\n"})
        message = self.received(self.redactor.redact(frames))
        self.assertEqual(message["content"]["text"], f"token={REDACTED}\n")

    def test_metadata_is_redacted_too(self) -> None:
        frames = self.serialized({"text": "plain"}, metadata={"note": [self.value]})
        self.assertEqual(
            self.received(self.redactor.redact(frames))["metadata"], {"note": [REDACTED]}
        )

    def test_headers_and_buffers_of_a_redacted_message_are_unchanged(self) -> None:
        frames = self.serialized(
            {"text": self.value}, buffers=[b"\x00binary" + self.value.encode()]
        )
        redacted = self.redactor.redact(frames)
        header_at = frames.index(DELIM) + 2
        self.assertEqual(redacted[header_at : header_at + 2], frames[header_at : header_at + 2])
        self.assertEqual(digest(redacted[-1]), digest(frames[-1]), "buffers are not redacted")

    def test_a_message_without_a_value_is_forwarded_as_it_came(self) -> None:
        frames = self.serialized({"name": "stdout", "text": "nothing secret here\n"})
        self.assertIs(self.redactor.redact(frames), frames)

    def test_a_value_in_the_header_alone_is_left(self) -> None:
        # The header is the protocol's bookkeeping, echoed from requests the server sent.
        self.kernel_session.username = self.value
        frames = self.serialized({"text": "plain"})
        self.assertIs(self.redactor.redact(frames), frames)

    def test_a_message_with_a_bad_signature_is_dropped(self) -> None:
        frames = self.serialized({"text": self.value})
        forged = Session(key=b"another key").serialize(
            self.kernel_session.msg("stream", content={"text": self.value}),
            ident=[b"client-identity"],
        )
        self.assertIsNotNone(self.redactor.redact(frames))
        self.assertIsNone(self.redactor.redact(forged))

    def test_frames_that_are_no_jupyter_message_pass(self) -> None:
        frames = [b"ping"]
        self.assertIs(self.redactor.redact(frames), frames)

    def test_an_unsigned_connection_is_redacted_too(self) -> None:
        unsigned = Session(key=b"")
        redactor = MessageRedactor(Session(key=b""), Redactor([self.value], min_length=6))
        frames = unsigned.serialize(unsigned.msg("stream", content={"text": self.value}))
        _, message_frames = unsigned.feed_identities(redactor.redact(frames))
        self.assertEqual(unsigned.deserialize(message_frames)["content"]["text"], REDACTED)


if __name__ == "__main__":
    unittest.main()
