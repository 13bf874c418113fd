"""spaCy in its own process, so it runs on one core while the encoder runs on the other.

spaCy (tokenizer, tagger, parser, NER) is half of the extractive pipeline's time, runs on one core, and holds
the GIL: two threads in one process took turns instead of running side by side (1.09-1.27x measured). A child
process parses block texts and sends the docs back as a `DocBin` (compressed token attributes: about 3 % of
the parse time both ways, measured on 50 CNN/DM articles), which the parent decodes into its own vocabulary.
The child never imports torch (thinc would, for its PyTorch shims): it is about 150 MB instead of 330 MB.

Requests are answered in order. `parse_chunks` sends all of a batch's chunks in one message and yields each
chunk's docs as soon as the child has parsed it, so the caller encodes chunk k while the child parses k+1.
A child that dies (killed, out of memory) is started again and its request sent once more; one that dies twice
on the same request raises `ParseProcessDied`.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)

_READY = "ready"
_STARTUP_TIMEOUT_S = 300.0


class ParseProcessDied(RuntimeError):
    """The parse process exited while it had work, twice in a row (a bug or the machine out of memory)."""


def _child_main(conn: Connection, model: str) -> None:
    """The child: load spaCy, then parse each request until the parent closes the pipe."""
    # Ctrl-C and SIGTERM reach the whole process group; the parent decides when the child stops (it drains
    # calls in flight first), and the child ends when the parent's end of the pipe closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.modules["torch"] = None  # type: ignore[assignment]  # thinc imports it if it can; spaCy never needs it
    from spacy.tokens import DocBin

    from briefing_service.components.segmenter import load_spacy, parse_texts
    from briefing_service.runtime import freeze_long_lived, release_free_memory, tune_interpreter

    tune_interpreter()  # the allocator settings the server runs with
    nlp = load_spacy(model)
    list(nlp.pipe(["Warm the pipeline up once before the first request arrives."]))
    freeze_long_lived()  # the model lives as long as the process: keep it out of every collection
    conn.send(_READY)
    while True:
        try:
            chunks: list[list[str]] = conn.recv()
        except EOFError:  # the parent closed the pipe (shutdown) or died
            return
        for texts in chunks:
            # Strings interned for the request are freed when the zone ends (the child's vocabulary would
            # otherwise grow with every new word); the DocBin carries its own strings.
            with nlp.memory_zone():
                docs = DocBin(store_user_data=False)
                for block in parse_texts(nlp, texts):
                    docs.add(block.doc)
                payload = docs.to_bytes()
            try:
                conn.send_bytes(payload)
            except OSError:  # the parent died mid-request (BrokenPipeError): nobody is left to answer
                return
        # Between requests (the parent is encoding): give freed heap back, or RSS stays at the high-water
        # mark of the largest request (+194 MiB after 10,000 one-line blocks, measured) for good.
        release_free_memory()


class ParseProcess:
    """One child process running spaCy; thread-safe (requests are serialized)."""

    def __init__(self, model: str) -> None:
        self.model = model
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None

    def start(self) -> None:
        """Start the child without waiting for it. A fresh interpreter (`python -m` this module), not fork (the
        parent may already run gRPC threads) nor multiprocessing's spawn (which re-imports the parent's main
        module, and with it torch)."""
        ours, theirs = socket.socketpair()
        package_root = str(Path(__file__).resolve().parents[2])  # where briefing_service is imported from
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
        }
        with theirs:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(theirs.fileno()), self.model],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env=env,
            )
        self._conn = Connection(ours.detach())

    def wait_ready(self, timeout: float = _STARTUP_TIMEOUT_S) -> None:
        """Block until the child has loaded spaCy."""
        conn = self._live_conn()
        if not conn.poll(timeout):
            raise ParseProcessDied(f"the spaCy process did not start within {timeout:.0f} s")
        try:
            message = conn.recv()
        except EOFError as exc:
            raise ParseProcessDied(f"the spaCy process exited while loading {self.model}") from exc
        if message != _READY:
            raise ParseProcessDied(f"the spaCy process sent {message!r} instead of {_READY!r}")

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _exit_code(self) -> int | None:
        return self._process.poll() if self._process is not None else None

    def _live_conn(self) -> Connection:
        if self._conn is None:
            self.start()
        assert self._conn is not None
        return self._conn

    def parse_chunks(self, chunks: Sequence[Sequence[str]], vocab: Vocab) -> Iterator[list[Doc]]:
        """Parse each chunk of block texts; yield its docs (decoded into ``vocab``) chunk by chunk, in order.
        The lock is held until the iterator is exhausted or closed; answers a closed iterator did not read
        are read and dropped then, so the next request gets its own."""
        from spacy.tokens import DocBin

        with self._lock:
            done = 0
            for attempt in (1, 2):
                conn = self._live_conn()
                received = done
                try:
                    conn.send([list(c) for c in chunks[done:]])
                    while done < len(chunks):
                        payload = conn.recv_bytes()
                        received += 1
                        docs = list(DocBin().from_bytes(payload).get_docs(vocab))
                        done += 1
                        yield docs
                    return
                except (EOFError, OSError) as exc:
                    code = self._exit_code()
                    log.error("spaCy process died (exit code %s) on attempt %d: %s", code, attempt, exc)
                    self._discard()
                    if attempt == 2:
                        raise ParseProcessDied(
                            f"the spaCy process died twice on the same request (exit code {code})"
                        ) from exc
                    self.start()
                    self.wait_ready()
                finally:
                    if self._conn is conn:
                        self._drain(conn, len(chunks) - received)

    def _drain(self, conn: Connection, unread: int) -> None:
        """Read and drop answers nobody will read (the caller stopped early); a dead child is discarded."""
        try:
            for _ in range(unread):
                conn.recv_bytes()
        except (EOFError, OSError):
            self._discard()

    def _discard(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=5)
        self._process, self._conn = None, None

    def close(self) -> None:
        """Stop the child: closing the pipe ends its loop; it is killed if it does not exit in 5 s."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
            if self._process is not None:
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait(timeout=5)
            self._process, self._conn = None, None

    def __getstate__(self) -> Any:  # a live process handle cannot be pickled; nothing should try
        raise TypeError("ParseProcess is not picklable")


if __name__ == "__main__":
    _child_main(Connection(int(sys.argv[1])), sys.argv[2])
