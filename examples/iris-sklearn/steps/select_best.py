"""Keeps the model with the higher test accuracy (the logistic regression on a tie: simpler to serve)."""

import sklearn_check  # noqa: F401  (first: one clear line when scikit-learn is missing)
import argparse
import pickle
import shutil

from kfp_io import write_executor_output, write_parameter

parser = argparse.ArgumentParser()
parser.add_argument("--forest", required=True)
parser.add_argument("--forest-accuracy", type=float, required=True)
parser.add_argument("--logistic", required=True)
parser.add_argument("--logistic-accuracy", type=float, required=True)
parser.add_argument("--model-out", required=True)
parser.add_argument("--accuracy-out", required=True)
parser.add_argument("--executor-output", required=True)
args = parser.parse_args()

if args.forest_accuracy > args.logistic_accuracy:
    best, accuracy = args.forest, args.forest_accuracy
else:
    best, accuracy = args.logistic, args.logistic_accuracy
shutil.copyfile(best, args.model_out)
with open(best, "rb") as file:
    algorithm = pickle.load(file)["algorithm"]
write_parameter(args.accuracy_out, accuracy)
write_executor_output(args.executor_output, {"model": {"algorithm": algorithm, "accuracy": accuracy}})
print(
    f"best: {algorithm} (accuracy {accuracy:.3f}; "
    f"forest {args.forest_accuracy:.3f}, logistic {args.logistic_accuracy:.3f})"
)
