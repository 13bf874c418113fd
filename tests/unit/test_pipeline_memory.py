"""After warm-up, an article keeps no new memory: one-time lazy tables are built by warm_up(), so the
server's post-warm-up RSS is its steady state (`make chaos` checks it against that baseline)."""

from __future__ import annotations

import gc
import tracemalloc

from briefing_service.domain import Article, ContentType
from briefing_service.pipeline.options import make_options
from briefing_service.pipeline.pipeline import Pipeline

# The hostile case after which the server's RSS stepped up ~30 MiB for good before warm_up() covered HTML.
SCRIPT_ONLY_PAGE = "<html><script>var x = 1;</script></html>"


def test_an_html_page_after_warm_up_keeps_no_python_memory(pipeline: Pipeline) -> None:
    pipeline.warm_up()
    item = (Article(text=SCRIPT_ONLY_PAGE, content_type=ContentType.HTML), make_options())
    tracemalloc.start()
    try:
        pipeline.summarize_batch([item])
        gc.collect()
        kept, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Before the fix trafilatura built jusText's all-language stop-word set here: 27 MiB kept.
    assert kept < 2 * 2**20, f"{kept / 2**20:.1f} MiB kept by the first HTML page after warm-up"
