"""Stratified, seeded train/test split (scikit-learn's train_test_split)."""

import sklearn_check  # noqa: F401  (first: one clear line when scikit-learn is missing)
import argparse

from sklearn.model_selection import train_test_split

from iris_table import read_rows, write_rows
from kfp_io import write_executor_output

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--test-fraction", type=float, required=True)
parser.add_argument("--seed", type=int, required=True)
parser.add_argument("--train-out", required=True)
parser.add_argument("--test-out", required=True)
parser.add_argument("--executor-output", required=True)
args = parser.parse_args()

features, species = read_rows(args.data)
train_x, test_x, train_y, test_y = train_test_split(
    features, species, test_size=args.test_fraction, random_state=args.seed, stratify=species
)
write_rows(args.train_out, zip(train_x, train_y))
write_rows(args.test_out, zip(test_x, test_y))
settings = {"seed": args.seed, "testFraction": args.test_fraction}
write_executor_output(
    args.executor_output,
    {"train": {"rows": len(train_y), **settings}, "test": {"rows": len(test_y), **settings}},
)
print(f"train {len(train_y)} rows, test {len(test_y)} rows (seed {args.seed})")
