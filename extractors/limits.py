"""Time limits for cleaning and analysing one page, far above normal work: trafilatura cleans
a page in 1-40 ms (a 10 MB page in ~2 s), and the analysis runs at ~5,900 words/s (a
1,000-word article in ~0.2 s). A page over its limit is recorded as failed with the reason;
the rest of its batch goes on (extractors/pipeline.py)."""

from __future__ import annotations

CLEAN_LIMIT_S = 30.0  # cleaning one page
ANALYSIS_LIMIT_S = 60.0  # analysing one article on its own
# A batch analysed in one nlp.pipe gets ANALYSIS_LIMIT_S plus this per article; over that,
# the batch is redone article by article, each with ANALYSIS_LIMIT_S.
ANALYSIS_BATCH_S_PER_ITEM = 10.0
