"""Scores one model on the test set: Metrics (accuracy, macro-F1), a confusion matrix, an accuracy output."""

import sklearn_check  # noqa: F401  (first: one clear line when scikit-learn is missing)
import argparse
import pickle

from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from iris_table import read_rows
from kfp_io import confusion_matrix_metadata, write_executor_output, write_parameter

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True)
parser.add_argument("--test", required=True)
parser.add_argument("--accuracy-out", required=True)
parser.add_argument("--executor-output", required=True)
args = parser.parse_args()

with open(args.model, "rb") as file:
    model = pickle.load(file)
features, species = read_rows(args.test)
predicted = model["estimator"].predict(features)
accuracy = float(accuracy_score(species, predicted))
macro_f1 = float(f1_score(species, predicted, average="macro"))
matrix = confusion_matrix(species, predicted, labels=model["classes"])

write_parameter(args.accuracy_out, accuracy)
write_executor_output(
    args.executor_output,
    {
        "metrics": {"accuracy": accuracy, "macro_f1": macro_f1},
        "confusion": confusion_matrix_metadata(model["classes"], matrix.tolist()),
    },
)
print(f"{model['algorithm']}: accuracy {accuracy:.3f}, macro-F1 {macro_f1:.3f} on {len(species)} test rows")
