"""Loads Iris from scikit-learn's bundled copy (no network) and writes it as CSV."""

import sklearn_check  # noqa: F401  (first: one clear line when scikit-learn is missing)
import argparse
from collections import Counter

from sklearn.datasets import load_iris

from iris_table import COLUMNS, write_rows
from kfp_io import write_executor_output

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
parser.add_argument("--executor-output", required=True)
args = parser.parse_args()

iris = load_iris()
species = [str(iris.target_names[target]) for target in iris.target]
write_rows(args.out, zip(iris.data.tolist(), species))
counts = dict(sorted(Counter(species).items()))
write_executor_output(
    args.executor_output,
    {"data": {"rows": len(species), "classes": sorted(counts), "classCounts": counts, "columns": COLUMNS}},
)
print(f"iris: {len(species)} rows, {counts}")
