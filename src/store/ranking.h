/* ranking.h - the ranking constants both engines share, so that they rank
 * alike: BM25's k1 and b (fts5_rank.c scores with them; src/xapian/nxx.cc
 * hands them to Xapian's BM25Weight) and the lead (fts5_rank.c weighs an
 * occurrence there NX_LEAD_WEIGHT times; xapian_engine.c indexes lead words
 * with that wdf). Plain macros: the C++ wrapper includes this too.
 *
 * Chosen on make eval (bench/README.md), so measured on the TIME collection
 * and the Reuters known-item task, not proven in general:
 *   - k1 1.3, b 0.8: the usual 1.2 and 0.75 (FTS5's bm25()) gave TIME MAP
 *     0.627 and Reuters MRR@10 0.644, against 0.644 and 0.641; a higher k1
 *     lets a word repeated in a story count for more, a higher b favours
 *     shorter stories;
 *   - the lead: news puts what a story is about first, and a headline
 *     restates it. An occurrence among the body's first 30 words counting
 *     twice took Reuters MRR@10 from 0.648 to 0.674 and TIME MAP from 0.644
 *     to 0.647; a weight of 1.5 or 3, or a lead of 20 to 50 words, did worse
 *     on one of the two. */
#ifndef NX_STORE_RANKING_H
#define NX_STORE_RANKING_H

#define NX_BM25_K1 1.3
#define NX_BM25_B 0.8
#define NX_LEAD_WORDS 30
#define NX_LEAD_WEIGHT 2

#endif
