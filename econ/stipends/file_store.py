"""A payment file's content at rest: sealed in chunks, each bound to its file and place.

A 100,000-line SEPA file is about 42 MB. Stored as one sealed value, storing it held the
whole ciphertext several times at once (the writer's buffer, its text, the driver's
copy); stored in chunks of about CHUNK_BYTES, the export holds one chunk at a time
(docs/performance.md §1). Each chunk is cut at a character boundary, so that it is text
like every sealed value (key rotation re-seals it as any other), and sealed under
`payment_file.content.<file id>.<number>`: a chunk moved to another file or place does
not open.

The file row's SHA-256 (of the whole content) is checked on every read, so a file whose
chunks are not all there, or not in their order, is refused rather than served short.
The chunks are written in the export's transaction: a failed export leaves none.
"""

from __future__ import annotations

import hashlib

from econ.security.crypto import decrypt, encrypt
from econ.stipends.models import PaymentFile, PaymentFileChunk

CHUNK_BYTES = 1 << 20  # 1 MiB of content: about 1.4 MB sealed, one row


class IncompleteFile(RuntimeError):
    """The stored chunks are not the file that was written: never served (an internal
    error, not something the user can correct)."""


def chunk_context(file_id: int, number: int) -> str:
    return f"payment_file.content.{file_id}.{number}"


class ChunkedFileWriter:
    """A binary file to write a payment file into: stored chunk by chunk as it is written,
    its SHA-256 computed as the bytes pass (`close` returns it)."""

    def __init__(self, file_id: int, chunk_bytes: int = CHUNK_BYTES) -> None:
        self.file_id = file_id
        self.chunk_bytes = chunk_bytes
        self.sha256 = hashlib.sha256()
        self._buffer = bytearray()
        self._number = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self._buffer += data
        while len(self._buffer) > self.chunk_bytes:
            self._store(_character_start(self._buffer, self.chunk_bytes))
        return len(data)

    def close(self) -> str:
        """Store what is left (a file always has at least one chunk); its SHA-256."""
        if self._buffer or self._number == 0:
            self._store(len(self._buffer))
        return self.sha256.hexdigest()

    def _store(self, end: int) -> None:
        text = self._buffer[:end].decode()
        del self._buffer[:end]
        sealed = encrypt(text, chunk_context(self.file_id, self._number))
        PaymentFileChunk.insert(file=self.file_id, number=self._number, content=sealed).execute()
        self._number += 1


def _character_start(buffer: bytearray, end: int) -> int:
    """The start of the UTF-8 character at `end` (or `end`): a chunk ends before it, so
    that it holds whole characters, at most `end` bytes (3 fewer at worst)."""
    while end > 0 and buffer[end] & 0xC0 == 0x80:  # a continuation byte
        end -= 1
    return end


def read_content(file: PaymentFile) -> str:
    """The whole content, from its chunks in order; refused unless it is the file hashed."""
    file_id, digest, pieces = file.id, hashlib.sha256(), []
    query = (
        PaymentFileChunk.select(PaymentFileChunk.number, PaymentFileChunk.content)
        .where(PaymentFileChunk.file == file_id)
        .order_by(PaymentFileChunk.number)
        .tuples()
    )
    for expected, (number, sealed) in enumerate(query):
        if number != expected:
            break
        text = decrypt(sealed, chunk_context(file_id, number))
        digest.update(text.encode())
        pieces.append(text)
    if digest.hexdigest() != file.sha256:
        raise IncompleteFile(f"payment file {file_id}: its chunks are not the file written")
    return "".join(pieces)
