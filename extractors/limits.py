"""Time limits for cleaning and analysing one page, in CPU seconds of the worker process (so
a machine busy with other work does not fail normal pages: wall time under load was seen 8x
the CPU time), far above normal work: trafilatura cleans an article page in 1-40 ms (a
2 MB page of paragraphs in ~4 s; the first date it hands to dateparser in a process costs
~3 s once), and the analysis runs at ~5,900 words/s (a 1,000-word article in ~0.2 s). Some
pages under the 10 MB body cap take minutes to clean (8-10 MB of small elements: 70-250 s
measured): those are what the cleaning limit is for. A page over its limit is recorded as
failed with the reason; the rest of its batch goes on (extractors/pipeline.py)."""

from __future__ import annotations

CLEAN_LIMIT_S = 30.0  # cleaning one page
ANALYSIS_LIMIT_S = 60.0  # analysing one article on its own
# A batch analysed in one nlp.pipe gets ANALYSIS_LIMIT_S plus this per article; over that,
# the batch is redone article by article, each with ANALYSIS_LIMIT_S.
ANALYSIS_BATCH_S_PER_ITEM = 10.0
