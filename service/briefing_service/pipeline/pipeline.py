"""The summarization pipeline: transport-free, batch-first.

summarize_batch() runs every stage once for a whole batch of articles — one ``nlp.pipe`` call, one encoder
call, one ``generate`` call — because on two CPU cores the models are the whole cost and batching is what makes
them cheap. Errors are per article: a bad article yields its domain error in its slot, the others go on.

It comes in two halves, begin() and complete(): begin validates and cleans the articles and, with a spaCy
process (parsing/parse_process.py, the server's default where there are two cores or more), sends their
text to be parsed; complete receives the docs, encodes, ranks and finishes. The server begins the next batches
while it completes this one (pipeline/batcher.py), so the child parses on one core while torch encodes on the
other. Inside a batch, ``overlap_chunks`` > 1 cuts it into chunks of about equal text to overlap the same way;
without a spaCy process that overlap runs spaCy here beside a second thread that encodes and finishes, but the
two share one GIL, and it measured anywhere from 0.68x to 1.24x of back to back (docs/performance.md).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from briefing_service import __version__
from briefing_service.domain import Article, ContentType, KeyPoint, ModelInfo, Summary, SummaryOptions
from briefing_service.entities import build_entity_table
from briefing_service.errors import BriefingError, CallerGone
from briefing_service.headline import choose_headline
from briefing_service.keypoints import (
    MAX_RANKED_SENTENCES,
    KeyPointScorer,
    document_vector,
    load_scorer,
    rank_key_points,
    sentence_info,
)
from briefing_service.limits import HEADLINE_MAX_WORDS, MAX_ARTICLE_CHARS
from briefing_service.parsing import (
    SPACY_MODEL,
    ParsedBlock,
    Sentence,
    load_spacy,
    parse_texts,
    sentences_of,
    spacy_model_version,
)
from briefing_service.pipeline.batcher import StillWanted
from briefing_service.pipeline.chunking import chunk_by_text
from briefing_service.pipeline.options import validate_article
from briefing_service.text import ChromeResult, extract_main_text, find_body

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from briefing_service.models import SentenceEncoder, Seq2SeqSummarizer, TokenStates
    from briefing_service.parsing import ParseProcess

log = logging.getLogger(__name__)

EXTRACTIVE_SUMMARIZER = "extractive:minilm-learned-scorer"

WARM_UP_TEXT = (
    "The city council approved a new budget for public libraries on Tuesday after a long debate. "
    "Mayor Ana Ortiz said the plan would extend opening hours across the city next year. "
    "Opponents argued the money should go to road repairs instead."
)


@dataclass
class _Work:
    """One article moving through the stages of a batch."""

    article: Article
    options: SummaryOptions
    index: int = 0  # in its batch
    still_wanted: StillWanted | None = None  # set by complete(); None: always wanted
    source: str = ""  # the text offsets index
    chrome: ChromeResult | None = None
    blocks: list[ParsedBlock] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    # The encoder's word pieces of the ranked sentences, for the entity tagger (empty: spaCy's entities).
    token_states: list[TokenStates] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: BriefingError | None = None


@dataclass
class BegunBatch:
    """A batch between `Pipeline.begin` and `Pipeline.complete`."""

    work: list[_Work]
    chunks: list[Sequence[_Work]]  # the live articles, in the chunks they are parsed and encoded in
    # The spaCy process's request per chunk (none: parse here).
    tickets: list[int] = field(default_factory=list)


class Pipeline:
    def __init__(
        self,
        nlp: Language,
        encoder: SentenceEncoder,
        seq2seq: Seq2SeqSummarizer | None = None,
        *,
        max_article_chars: int = MAX_ARTICLE_CHARS,
        scorer: KeyPointScorer | None = None,
        overlap_chunks: int = 1,
        parser: ParseProcess | None = None,
    ) -> None:
        self.nlp = nlp
        # spaCy in a child process (None: on the calling thread); see _staged.
        self.parser = parser
        self.encoder = encoder
        self.seq2seq = seq2seq
        self.max_article_chars = max_article_chars
        self.scorer = scorer or load_scorer()
        # Chunks per extractive batch (1: no overlap). More chunks overlap more of the two stages but make
        # each encoder and spaCy call smaller; 4 measured best on batches of 8-16 articles.
        self.overlap_chunks = overlap_chunks
        # The second stage's thread (encoder, ranking, headline, entities), created on first use.
        self._stage_two: ThreadPoolExecutor | None = None
        self.info = ModelInfo(
            engine="abstractive" if seq2seq else "extractive",
            summarizer=seq2seq.name if seq2seq else EXTRACTIVE_SUMMARIZER,
            summarizer_version=seq2seq.version if seq2seq else __version__,
            encoder=encoder.name,
            encoder_version=encoder.version,
            ner=nlp.meta.get("name", "spacy"),
            ner_version=spacy_model_version(nlp),
        )

    @classmethod
    def load(
        cls,
        summarizer_model: str = "",
        *,
        max_article_chars: int = MAX_ARTICLE_CHARS,
        encoder_precision: str = "auto",
        overlap_chunks: int = 1,
        parse_process: bool = False,
        parser: ParseProcess | None = None,
        encoder_streams: int = 1,
    ) -> Pipeline:
        """Load the embedded models (and a seq2seq checkpoint when one is named); with ``parse_process``
        spaCy also runs in a child process, which loads while this one loads the rest (``parser``: one
        already started, which the server does first thing so the child loads during its imports);
        ``encoder_streams``: encoder calls run at once (Schedule.encoder_streams)."""
        from briefing_service.models import MiniLMEncoder

        if parse_process and parser is None:
            from briefing_service.parsing import ParseProcess

            parser = ParseProcess(SPACY_MODEL)
            parser.start()
        try:
            seq2seq = None
            if summarizer_model:
                from briefing_service.models import Seq2SeqSummarizer

                seq2seq = Seq2SeqSummarizer(summarizer_model)
            pipeline = cls(
                # With a spaCy process this one only decodes its docs: the vocabulary is all it needs.
                load_spacy(vocab_only=parser is not None),
                MiniLMEncoder(precision=encoder_precision, streams=encoder_streams),
                seq2seq,
                max_article_chars=max_article_chars,
                overlap_chunks=overlap_chunks,
                parser=parser,
            )
            if parser is not None:
                parser.wait_ready()
        except BaseException:
            if parser is not None:
                parser.close()
            raise
        return pipeline

    def close(self) -> None:
        """Stop the spaCy process, if there is one."""
        if self.parser is not None:
            self.parser.close()

    def warm_up(self) -> None:
        """Real calls so the first request does not pay for lazy initialisation, and memory measured after
        warm-up is the steady state: the HTML call makes trafilatura build, once, jusText's stop-word set of
        every language (~27 MiB of Python strings, ~300 ms), which it otherwise does on the first HTML page a
        client sends — a one-time memory step `make chaos` would otherwise see after its hostile rounds."""
        self.summarize(Article(text=WARM_UP_TEXT, id="warm-up"), SummaryOptions())
        page = f"<html><body><p>{WARM_UP_TEXT}</p></body></html>"
        self.summarize(Article(text=page, id="warm-up-html", content_type=ContentType.HTML), SummaryOptions())

    def summarize(self, article: Article, options: SummaryOptions) -> Summary:
        result = self.summarize_batch([(article, options)])[0]
        if isinstance(result, BriefingError):
            raise result
        return result

    def summarize_batch(
        self, items: Sequence[tuple[Article, SummaryOptions]]
    ) -> list[Summary | BriefingError]:
        return self.complete(self.begin(items))

    def begin(self, items: Sequence[tuple[Article, SummaryOptions]]) -> BegunBatch:
        """The first half of summarize_batch: validate and clean each article and, with a spaCy process,
        send its ``overlap_chunks`` chunks to be parsed. Cheap, and safe on a
        thread other than the one that calls `complete`: the server begins the next batch while this one
        completes, so the child parses it meanwhile."""
        work = [_Work(article=a, options=o, index=i) for i, (a, o) in enumerate(items)]
        for w in work:
            self._prepare(w)
        live = [w for w in work if w.error is None]
        if self.seq2seq is not None:
            return BegunBatch(work, [live] if live else [])
        parts = chunk_by_text(live, [len(w.source) for w in live], self.overlap_chunks)
        tickets = [self.parser.submit(self._block_texts(c)) for c in parts] if self.parser is not None else []
        return BegunBatch(work, parts, tickets)

    def complete(
        self, begun: BegunBatch, still_wanted: StillWanted | None = None
    ) -> list[Summary | BriefingError]:
        """The second half: parse (or receive the spaCy process's docs), encode, rank and finish. Batches are
        completed in the order they were begun. An article whose caller has gone (``still_wanted(i)`` false
        for its index when its chunk is about to be encoded) is not encoded or finished: its result is
        CallerGone, which nobody receives."""
        if still_wanted is not None:
            for w in begun.work:
                w.still_wanted = still_wanted
        done: dict[int, Summary] = {}
        # Every string spaCy interns for this batch is freed when the zone ends: without it the vocabulary
        # (and the server's memory) grows with each new word it ever sees. Nothing spaCy made outlives the
        # zone: Summary holds plain str and offsets.
        with self.nlp.memory_zone():
            if self.seq2seq is not None:
                # One generate() call for the whole batch: batching is what pays for a seq2seq model, and
                # spaCy's share of the time is small next to it.
                for chunk in begun.chunks:
                    self._parse(self._wanted(chunk))
                    done.update(self._encode_and_finish(chunk))
            elif begun.tickets:
                self._received(begun, done)
            else:
                self._overlapped(begun.chunks, done)
        return [w.error if w.error is not None else done[id(w)] for w in begun.work]

    def cancel(self, begun: BegunBatch) -> None:
        """A begun batch that will not be completed: the spaCy process's answers to it are dropped."""
        if self.parser is not None:
            for ticket in begun.tickets:
                self.parser.abandon(ticket)

    def _received(self, begun: BegunBatch, done: dict[int, Summary]) -> None:
        """Each chunk's docs from the spaCy process, encoded and finished while it parses the next."""
        assert self.parser is not None
        received = 0
        try:
            for chunk, ticket in zip(begun.chunks, begun.tickets, strict=True):
                docs = self.parser.receive(ticket, self.nlp.vocab)
                received += 1
                self._attach(chunk, docs)
                done.update(self._encode_and_finish(chunk))
        finally:
            for ticket in begun.tickets[received:]:
                self.parser.abandon(ticket)

    def _overlapped(self, chunks: Sequence[Sequence[_Work]], done: dict[int, Summary]) -> None:
        """Parse here: back to back for one chunk; for more, parse chunk k+1 while a stage-two thread encodes
        and finishes chunk k (GIL-bound, see the module docstring)."""
        if len(chunks) <= 1:
            for chunk in chunks:
                self._parse(self._wanted(chunk))
                done.update(self._encode_and_finish(chunk))
            return
        if self._stage_two is None:
            self._stage_two = ThreadPoolExecutor(max_workers=1, thread_name_prefix="encode")
        pending: list[Future[dict[int, Summary]]] = []
        try:
            for chunk in chunks:
                self._parse(self._wanted(chunk))
                pending.append(self._stage_two.submit(self._encode_and_finish, chunk))
        finally:
            wait(pending)  # even when parsing failed: the memory zone must not close under a chunk's docs
        for future in pending:
            done.update(future.result())  # a stage-two failure (a bug) reaches the batch's callers

    @staticmethod
    def _wanted(chunk: Sequence[_Work]) -> list[_Work]:
        """The chunk's articles that still have a caller; the others get CallerGone and no more work. Asked
        before parsing here and again before encoding (a caller can leave in between)."""
        live: list[_Work] = []
        for w in chunk:
            if w.error is not None:
                continue  # already dropped
            if w.still_wanted is None or w.still_wanted(w.index):
                live.append(w)
            else:
                w.error = CallerGone("the caller went away before this article was summarized")
        return live

    def _encode_and_finish(self, chunk: Sequence[_Work]) -> dict[int, Summary]:
        live = self._wanted(chunk)
        embeddings = self._encode(live)
        abstracts = self._abstracts(live)
        return {id(w): self._finish(w, embeddings[id(w)], abstracts.get(id(w), "")) for w in live}

    # --- stages -------------------------------------------------------------------------------------------

    def _prepare(self, w: _Work) -> None:
        try:
            validate_article(w.article, self.max_article_chars)
        except BriefingError as exc:
            w.error = exc
            return
        w.source = w.article.text
        if w.article.content_type is ContentType.HTML:
            page = extract_main_text(w.article.text)
            # trafilatura separates paragraphs with one newline; blank lines keep them separate blocks.
            w.source = page.text.replace("\n", "\n\n")
            w.warnings.append(
                f"main text extracted from HTML: {len(w.source):,} of {len(w.article.text):,} chars"
            )
            if not w.source.strip():
                w.warnings.append("no main text found in the HTML page")
        w.chrome = find_body(w.source)
        if w.chrome.chrome_lines:
            w.warnings.append(f"page chrome stripped: {w.chrome.chrome_lines} lines")

    @staticmethod
    def _block_texts(live: Sequence[_Work]) -> list[str]:
        return [w.source[b.start : b.end] for w in live if w.chrome is not None for b in w.chrome.blocks]

    def _parse(self, live: Sequence[_Work]) -> None:
        if not live:  # every caller of the chunk has gone: no round trip to the spaCy process
            return
        self._attach(live, self._parse_texts(self._block_texts(live)))

    def _parse_texts(self, texts: list[str]) -> list[Doc]:
        """Parse in one go, in the spaCy process when there is one."""
        if self.parser is not None:
            return self.parser.receive(self.parser.submit(texts), self.nlp.vocab)
        return [b.doc for b in parse_texts(self.nlp, texts)]

    def _attach(self, live: Sequence[_Work], docs: Sequence[Doc]) -> None:
        """Give each article its parsed blocks (``docs`` in the order of _block_texts) and sentences."""
        parsed = iter(docs)
        for w in live:
            assert w.chrome is not None
            w.blocks = [ParsedBlock(doc=next(parsed), offset=block.start) for block in w.chrome.blocks]
            w.sentences = sentences_of(w.blocks)
            if len(w.sentences) > MAX_RANKED_SENTENCES:
                w.warnings.append(f"ranked the first {MAX_RANKED_SENTENCES} of {len(w.sentences)} sentences")
        if next(parsed, None) is not None:
            raise RuntimeError("the parser returned more docs than blocks were sent")

    def _encode(self, live: Sequence[_Work]) -> dict[int, np.ndarray]:
        texts = [s.text for w in live for s in w.sentences[:MAX_RANKED_SENTENCES]]
        # The same pass hands the entity tagger its word-piece states where an article wants entities.
        with_tokens = hasattr(self.encoder, "encode_with_tokens") and any(
            w.options.include_entities for w in live
        )
        if with_tokens:
            vectors, states = self.encoder.encode_with_tokens(texts)  # type: ignore[attr-defined]
        else:
            vectors, states = self.encoder.encode(texts), []
        out: dict[int, np.ndarray] = {}
        pos = 0
        for w in live:
            n = min(len(w.sentences), MAX_RANKED_SENTENCES)
            out[id(w)] = vectors[pos : pos + n]
            w.token_states = states[pos : pos + n]
            pos += n
        return out

    def _abstracts(self, live: Sequence[_Work]) -> dict[int, str]:
        if self.seq2seq is None or not live:
            return {}
        summaries = self.seq2seq.summarize_many([[s.text for s in w.sentences] for w in live])
        return {id(w): text for w, text in zip(live, summaries, strict=True)}

    def _finish(self, w: _Work, embeddings: np.ndarray, abstract: str) -> Summary:
        ranked = w.sentences[: len(embeddings)]
        scores, picked = rank_key_points(
            embeddings,
            [sentence_info(s.span, s.text, s.words) for s in ranked],
            w.options.max_key_points,
            self.scorer,
        )
        # Whole sentences: a key point is one slice of the source, so offsets stay exact.
        key_points = tuple(
            KeyPoint(
                text=ranked[i].text,
                score=round(float(scores[i]), 4),
                start=ranked[i].start,
                end=ranked[i].end,
            )
            for i in picked
        )
        fallback = w.article.title or (w.chrome.title if w.chrome else "")
        if abstract:
            (parsed,) = self._parse_texts([abstract])
            headline = choose_headline(list(parsed.sents), HEADLINE_MAX_WORDS, fallback=abstract)
        else:
            by_score = [ranked[i].span for i in np.argsort(-scores, kind="stable")]
            lead = [s.span for s in ranked]
            headline = choose_headline(by_score, HEADLINE_MAX_WORDS, fallback=fallback, lead=lead)
        entities: tuple = ()
        if w.options.include_entities:
            entities = tuple(
                build_entity_table(
                    w.blocks,
                    text=w.source,
                    key_point_spans=[(k.start, k.end) for k in key_points],
                    headline=headline,
                    types=w.options.entity_types,
                    sentences=ranked,
                    token_states=w.token_states,
                )
            )
        return Summary(
            article_id=w.article.id,
            headline=headline,
            key_points=key_points,
            entities=entities,
            model=self.info,
            content_sha256=hashlib.sha256(w.article.text.encode("utf-8", "surrogatepass")).hexdigest(),
            abstract=abstract,
            source_text=w.source if w.source != w.article.text else "",
            warnings=tuple(w.warnings),
            embedding=document_vector(embeddings, picked),
        )
