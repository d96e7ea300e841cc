"""Writes the model as the next version of <registry>/<name>/v<N>/ with a lineage.json beside it.

A version is written into a private directory and renamed into place, so it is either absent or
complete, and two runs racing for one number end up with two numbers.
"""

import argparse
import datetime
import hashlib
import json
import os
import pickle
import re
import shutil
import uuid

from kfp_io import write_executor_output

parser = argparse.ArgumentParser()
parser.add_argument("--name", required=True)
parser.add_argument("--model", required=True)
parser.add_argument("--model-uri", required=True)
parser.add_argument("--accuracy", type=float, required=True)
parser.add_argument("--data", required=True)
parser.add_argument("--data-uri", required=True)
parser.add_argument("--registry", default="")
parser.add_argument("--parameters", required=True, help="the run's settings as JSON")
parser.add_argument("--registered-out", required=True)
parser.add_argument("--executor-output", required=True)
args = parser.parse_args()


def sluice_home():
    """Steps get a clean environment without SLUICE_HOME, but run in <home>/runs/<run id>/attempts/<id>."""
    if os.environ.get("SLUICE_HOME"):
        return os.path.abspath(os.environ["SLUICE_HOME"])
    run_id = os.environ.get("SLUICE_RUN_ID")
    cwd = os.getcwd() + os.sep
    marker = f"{os.sep}runs{os.sep}{run_id}{os.sep}"
    at = cwd.rfind(marker) if run_id else -1
    return cwd[:at] if at > 0 else os.path.join(os.path.expanduser("~"), ".sluice")


def digest(path):
    with open(path, "rb") as file:
        return "sha256:" + hashlib.sha256(file.read()).hexdigest()


def register(root, files):
    os.makedirs(root, exist_ok=True)
    staging = os.path.join(root, f".staging-{uuid.uuid4()}")
    os.mkdir(staging)
    try:
        for name, source in files.items():
            shutil.copyfile(source, os.path.join(staging, name))
        versions = [int(m.group(1)) for m in (re.fullmatch(r"v(\d+)", n) for n in os.listdir(root)) if m]
        version = max(versions, default=0) + 1
        while True:
            target = os.path.join(root, f"v{version}")
            try:
                os.rename(staging, target)
                return version, target
            except OSError as error:
                if not os.path.isdir(target):
                    raise error
                version += 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)


with open(args.model, "rb") as file:
    algorithm = pickle.load(file)["algorithm"]
registry = os.path.abspath(args.registry) if args.registry else os.path.join(sluice_home(), "registry")
lineage_file = os.path.join(os.path.dirname(args.registered_out), "lineage.json")
lineage = {
    "model": args.name,
    "algorithm": algorithm,
    "accuracy": args.accuracy,
    "registeredAt": datetime.datetime.now(datetime.timezone.utc).isoformat(),
    "run": {"id": os.environ.get("SLUICE_RUN_ID"), "task": os.environ.get("SLUICE_TASK_PATH")},
    "parameters": json.loads(args.parameters),
    "data": {"uri": args.data_uri, "digest": digest(args.data)},
    "artifact": {"uri": args.model_uri, "digest": digest(args.model)},
}
staged_lineage = args.registered_out + ".lineage.json"
with open(staged_lineage, "w", encoding="utf-8") as file:
    json.dump(lineage, file, indent=2)
try:
    version, directory = register(
        os.path.join(registry, args.name), {"model.pkl": args.model, "lineage.json": staged_lineage}
    )
finally:
    os.remove(staged_lineage)
path = os.path.join(directory, "model.pkl")
shutil.copyfile(args.model, args.registered_out)
write_executor_output(
    args.executor_output,
    {"registered": {"version": version, "path": path, "algorithm": algorithm, "accuracy": args.accuracy}},
)
print(f"registered {args.name} v{version} ({algorithm}, accuracy {args.accuracy:.3f}) at {path}")
