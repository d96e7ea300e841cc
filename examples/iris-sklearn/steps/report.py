"""The exit task: one paragraph on how the run ended, from KFP's PipelineTaskFinalStatus (JSON)."""

import json
import os
import re
import sys

status = json.loads(sys.argv[1])
# KFP's resource name is `<pipeline>-<suffix>`; the run id (SLUICE_RUN_ID) is what the CLI takes.
run = os.environ.get("SLUICE_RUN_ID") or status.get("pipelineJobResourceName", "?")
state = status.get("state", "UNKNOWN")
# KFP's backend says COMPLETE for a group that succeeded (Vertex AI says SUCCEEDED).
if state in ("COMPLETE", "SUCCEEDED"):
    print(
        f"iris-classifier-sklearn run {run} SUCCEEDED: both models were trained and evaluated, and the "
        "better one was registered if its test accuracy reached the threshold (the register task's log "
        f"says where). `sluice show {run[:8]}` has the metrics."
    )
    sys.exit(0)
message = " ".join((status.get("error") or {}).get("message", "").split()) or "no error was recorded"
failed = re.match(r"^tasks? (.+?) failed(?:: (.+))?$", message)
if failed:
    tasks, reason = failed.groups()
    which = ("tasks " if "," in tasks else "task ") + tasks
    why = reason or f"its error is in `sluice logs {run[:8]} {tasks.split(',')[0].strip()}`"
    print(f"iris-classifier-sklearn run {run} {state} in {which}: {why}. Nothing was registered.")
else:
    print(f"iris-classifier-sklearn run {run} {state}: {message}. Nothing was registered.")
