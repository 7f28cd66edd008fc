"""Tests of bench/evaluate.py against examples worked out by hand.
Run: cd bench && python3 -m unittest test_evaluate   (make eval runs it first)."""
import os
import tempfile
import unittest

import evaluate as ev

# Three queries, binary judgments (worked by hand):
#   q1 relevant {d1, d3}; ranking d1 d2 d3 d4
#      relevant at ranks 1 and 3: precisions 1/1 and 2/3  -> AP = (1 + 0.6667) / 2 = 0.8333
#   q2 relevant {d2, d5, d6}; ranking d1 d2 d3 d4 d5 (d6 never retrieved)
#      relevant at ranks 2 and 5: precisions 1/2 and 2/5  -> AP = (0.5 + 0.4) / 3 = 0.3
#   q3 relevant {d9}; ranking d7 d8                        -> AP = 0
#   MAP = (0.8333 + 0.3 + 0) / 3 = 0.3778
#   P@10: 2/10, 2/10, 0/10 -> 0.1333;  MRR@10: 1, 1/2, 0 -> 0.5
QRELS3 = {"q1": {"d1": 1, "d3": 1},
          "q2": {"d2": 1, "d5": 1, "d6": 1},
          "q3": {"d9": 1}}
RUN3 = {"q1": ["d1", "d2", "d3", "d4"],
        "q2": ["d1", "d2", "d3", "d4", "d5"],
        "q3": ["d7", "d8"]}


class MapExample(unittest.TestCase):
    def test_average_precision_per_query(self):
        self.assertAlmostEqual(ev.average_precision(RUN3["q1"], QRELS3["q1"]), 0.833333, places=5)
        self.assertAlmostEqual(ev.average_precision(RUN3["q2"], QRELS3["q2"]), 0.3, places=6)
        self.assertEqual(ev.average_precision(RUN3["q3"], QRELS3["q3"]), 0.0)

    def test_means(self):
        m = ev.evaluate(RUN3, QRELS3, 10)["means"]
        self.assertAlmostEqual(m["map"], 0.377778, places=5)
        self.assertAlmostEqual(m["p@10"], 0.133333, places=5)
        self.assertAlmostEqual(m["mrr@10"], 0.5, places=6)
        self.assertEqual(m["queries"], 3)
        self.assertEqual(m["no_results"], 0)

    def test_precision_divides_by_k_not_by_retrieved(self):
        # 2 relevant in 4 retrieved is P@10 = 0.2, not 0.5
        self.assertAlmostEqual(ev.precision_at(RUN3["q1"], QRELS3["q1"], 10), 0.2)
        self.assertAlmostEqual(ev.precision_at(RUN3["q1"], QRELS3["q1"], 2), 0.5)


class Ndcg(unittest.TestCase):
    def test_graded(self):
        # grades a=3 b=2 c=1; ranking b x a c
        # DCG  = 2/log2(2) + 0 + 3/log2(4) + 1/log2(5) = 2 + 1.5 + 0.430677 = 3.930677
        # IDCG = 3/log2(2) + 2/log2(3) + 1/log2(4)     = 3 + 1.261860 + 0.5 = 4.761860
        # nDCG@10 = 3.930677 / 4.761860 = 0.825450
        rel = {"a": 3, "b": 2, "c": 1}
        self.assertAlmostEqual(ev.ndcg_at(["b", "x", "a", "c"], rel, 10), 0.825450, places=5)
        # @2: DCG = 2 + 0 = 2; IDCG@2 = 3 + 1.261860 = 4.261860 -> 0.469278
        self.assertAlmostEqual(ev.ndcg_at(["b", "x", "a", "c"], rel, 2), 0.469278, places=5)

    def test_binary(self):
        # relevant a, b; ranking x a b
        # DCG = 1/log2(3) + 1/log2(4) = 0.630930 + 0.5 = 1.130930; IDCG = 1 + 0.630930
        # nDCG = 1.130930 / 1.630930 = 0.693426
        self.assertAlmostEqual(ev.ndcg_at(["x", "a", "b"], {"a": 1, "b": 1}, 10), 0.693426,
                               places=5)

    def test_perfect_and_zero_grades(self):
        self.assertAlmostEqual(ev.ndcg_at(["a", "b"], {"a": 2, "b": 1, "z": 0}, 10), 1.0)
        self.assertEqual(ev.ndcg_at(["z"], {"a": 1, "z": 0}, 10), 0.0)


class Mrr(unittest.TestCase):
    def test_rank_cut(self):
        rel = {"r": 1}
        self.assertAlmostEqual(ev.reciprocal_rank_at(["a", "b", "r"], rel, 10), 1 / 3)
        self.assertAlmostEqual(ev.reciprocal_rank_at(list("abcdefghi") + ["r"], rel, 10), 0.1)
        self.assertEqual(ev.reciprocal_rank_at(list("abcdefghij") + ["r"], rel, 10), 0.0)
        self.assertEqual(ev.reciprocal_rank_at(["a"], rel, 10), 0.0)

    def test_duplicates_count_once(self):
        self.assertAlmostEqual(ev.reciprocal_rank_at(["a", "a", "r"], {"r": 1}, 10), 0.5)


class EmptyResults(unittest.TestCase):
    def test_empty_list_scores_zero(self):
        rel = {"d1": 1}
        self.assertEqual(ev.average_precision([], rel), 0.0)
        self.assertEqual(ev.precision_at([], rel, 10), 0.0)
        self.assertEqual(ev.ndcg_at([], rel, 10), 0.0)
        self.assertEqual(ev.reciprocal_rank_at([], rel, 10), 0.0)

    def test_missing_and_empty_queries_count_as_zero(self):
        run = {"q1": RUN3["q1"], "q2": []}        # q2 empty, q3 missing
        m = ev.evaluate(run, QRELS3, 10)["means"]
        self.assertAlmostEqual(m["map"], 0.833333 / 3, places=5)
        self.assertEqual(m["no_results"], 2)
        self.assertEqual(m["queries"], 3)

    def test_unjudged_queries_are_not_averaged(self):
        qrels = dict(QRELS3, q4={"d1": 0})       # no relevant document: left out
        m = ev.evaluate(RUN3, qrels, 10)["means"]
        self.assertEqual(m["queries"], 3)
        self.assertAlmostEqual(m["map"], 0.377778, places=5)

    def test_empty_everything(self):
        m = ev.evaluate({}, {}, 10)["means"]
        self.assertEqual(m["queries"], 0)
        self.assertEqual(m["map"], 0.0)


class Files(unittest.TestCase):
    def test_round_trip_and_order_by_score(self):
        with tempfile.TemporaryDirectory() as d:
            q = os.path.join(d, "qrels")
            with open(q, "w") as f:
                f.write("1 0 a 1\n1 0 b 2\n2 0 c 0\n")
            self.assertEqual(ev.read_qrels(q), {"1": {"a": 1, "b": 2}, "2": {"c": 0}})
            r = os.path.join(d, "run")
            with open(r, "w") as f:   # out of order: score decides
                f.write("1 Q0 b 2 5.0 t\n1 Q0 a 1 9.5 t\n1 Q0 c 3 1.0 t\n")
            self.assertEqual(ev.read_run(r), {"1": ["a", "b", "c"]})
            ev.write_run(r, {"x": ["d3", "d1"]})
            self.assertEqual(ev.read_run(r), {"x": ["d3", "d1"]})


if __name__ == "__main__":
    unittest.main()
