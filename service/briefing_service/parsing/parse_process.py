"""spaCy in its own process, so it runs on one core while the encoder runs on the other.

spaCy (tokenizer, tagger, parser, NER) is half of the extractive pipeline's time, runs on one core, and holds
the GIL: two threads in one process took turns instead of running side by side (1.09-1.27x measured). A child
process parses block texts and sends the docs back as a `DocBin` (compressed token attributes: about 3 % of
the parse time both ways, measured on 50 CNN/DM articles), which the parent decodes into its own vocabulary.
The child never imports torch (thinc would, for its PyTorch shims): it is about 150 MB instead of 330 MB.

Requests are answered in order. `submit` sends one without waiting and `receive` reads its docs, so the
caller can encode one request's docs while the child parses the next (the pipeline does this for a batch's
chunks, the server's batcher across batches). A child that dies (killed, out of memory) is started
again and every unanswered request sent once more; a request it dies on twice gets `ParseProcessDied`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
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

    from briefing_service.parsing.segmenter import load_spacy, parse_texts
    from briefing_service.runtime import freeze_long_lived, release_free_memory, tune_interpreter

    tune_interpreter()  # the allocator settings the server runs with
    nlp = load_spacy(model) if model else load_spacy()
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

    def __init__(self, model: str = "") -> None:
        # "": the segmenter's model (named there; importing it here would import spaCy into the caller).
        self.model = model
        # Guards the pipe's send side and the bookkeeping below; receiving happens outside it (one thread
        # waits for the child while another sends the next request).
        self._lock = threading.RLock()
        self._next_ticket = 0
        self._unanswered: dict[int, list[str]] = {}  # sent, no answer read yet; oldest first
        self._answers: dict[int, bytes | BaseException] = {}  # read, not yet received
        self._abandoned: set[int] = set()
        self._deaths: dict[int, int] = {}  # request -> times the child died on it
        self._receiving = threading.Lock()  # one reader of the pipe at a time
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
            raise ParseProcessDied(
                f"the spaCy process exited while loading {self.model or 'its model'}"
            ) from exc
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

    def submit(self, texts: Sequence[str]) -> int:
        """Send one request (block texts) without waiting for its docs; returns its ticket for `receive`.
        Requests are parsed in the order they are sent, so the child can parse this one while the caller
        still works on the docs of an earlier one."""
        with self._lock:
            ticket = self._next_ticket
            self._next_ticket += 1
            self._unanswered[ticket] = list(texts)
            # A dead child (OSError) is found by `receive`, which starts a new one and sends this again.
            with contextlib.suppress(OSError):
                self._live_conn().send([self._unanswered[ticket]])
            return ticket

    def receive(self, ticket: int, vocab: Vocab) -> list[Doc]:
        """The docs of a submitted request, decoded into ``vocab``. Waits for the child; answers to other
        requests that arrive first are kept for their own `receive` (or dropped if abandoned)."""
        from spacy.tokens import DocBin

        with self._receiving:
            while ticket not in self._answers:
                if ticket not in self._unanswered:
                    raise KeyError(f"no request {ticket} is waiting for its docs")
                self._receive_next()
        with self._lock:
            answer = self._answers.pop(ticket)
        if isinstance(answer, BaseException):
            raise answer
        return list(DocBin().from_bytes(answer).get_docs(vocab))

    def abandon(self, ticket: int) -> None:
        """Nobody will `receive` this request: its answer is read and dropped when it comes."""
        with self._lock:
            self._answers.pop(ticket, None)
            if ticket in self._unanswered:
                self._abandoned.add(ticket)

    def _receive_next(self) -> None:
        """Read the answer to the oldest unanswered request. A dead child is started again and every
        unanswered request sent once more, in order; a request the child dies on twice is answered with
        ParseProcessDied."""
        with self._lock:
            conn = self._live_conn()
            oldest = next(iter(self._unanswered))
        try:
            payload: bytes | BaseException = conn.recv_bytes()
        except (EOFError, OSError) as exc:
            with self._lock:
                if self._conn is conn:  # nobody restarted it yet
                    self._restart(oldest, exc)
            return
        with self._lock:
            del self._unanswered[oldest]
            self._deaths.pop(oldest, None)
            if oldest in self._abandoned:
                self._abandoned.discard(oldest)
            else:
                self._answers[oldest] = payload

    def _restart(self, oldest: int, exc: BaseException) -> None:
        code = self._exit_code()
        deaths = self._deaths[oldest] = self._deaths.get(oldest, 0) + 1
        log.error("spaCy process died (exit code %s) on attempt %d: %s", code, deaths, exc)
        self._discard()
        if deaths >= 2:
            del self._unanswered[oldest], self._deaths[oldest]
            if oldest in self._abandoned:
                self._abandoned.discard(oldest)
            else:
                self._answers[oldest] = ParseProcessDied(
                    f"the spaCy process died twice on the same request (exit code {code})"
                )
        self.start()
        self.wait_ready()
        conn = self._live_conn()
        with contextlib.suppress(OSError):  # died again already: the next read finds out
            for texts in self._unanswered.values():
                conn.send([texts])

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
            # Requests still unanswered are gone with the child; a later `receive` of one raises KeyError.
            self._unanswered.clear()
            self._answers.clear()
            self._abandoned.clear()
            self._deaths.clear()

    def __getstate__(self) -> Any:  # a live process handle cannot be pickled; nothing should try
        raise TypeError("ParseProcess is not picklable")


if __name__ == "__main__":
    _child_main(Connection(int(sys.argv[1])), sys.argv[2])
