"""Trains one classifier and pickles it with what a reader needs to use it (feature order, classes)."""

import sklearn_check  # noqa: F401  (first: one clear line when scikit-learn is missing)
import argparse
import pickle

from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from iris_table import FEATURES, read_rows
from kfp_io import write_executor_output

parser = argparse.ArgumentParser()
parser.add_argument("--algorithm", choices=["random-forest", "logistic-regression"], required=True)
parser.add_argument("--train", required=True)
parser.add_argument("--model-out", required=True)
parser.add_argument("--executor-output", required=True)
parser.add_argument("--trees", type=int, default=100)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--c", type=float, default=1.0)
parser.add_argument("--max-iter", type=int, default=200)
args = parser.parse_args()

if args.algorithm == "random-forest":
    hyperparameters = {"trees": args.trees, "seed": args.seed}
    estimator = RandomForestClassifier(n_estimators=args.trees, random_state=args.seed)
else:
    hyperparameters = {"C": args.c, "maxIter": args.max_iter}
    # Scaled first: lbfgs converges in far fewer iterations on features of one scale.
    estimator = make_pipeline(StandardScaler(), LogisticRegression(C=args.c, max_iter=args.max_iter))

features, species = read_rows(args.train)
estimator.fit(features, species)
with open(args.model_out, "wb") as file:
    pickle.dump(
        {
            "algorithm": args.algorithm,
            "features": FEATURES,
            "classes": [str(name) for name in estimator.classes_],
            "hyperparameters": hyperparameters,
            "estimator": estimator,
        },
        file,
    )
write_executor_output(args.executor_output, {"model": {"algorithm": args.algorithm, **hyperparameters}})
print(f"{args.algorithm}: {hyperparameters}")
