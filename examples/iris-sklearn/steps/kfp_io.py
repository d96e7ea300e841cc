"""How a step hands results back, the way KFP's Python executor does (stdlib only).

Output parameters go to the file named by {{$.outputs.parameters['NAME'].output_file}}; artifact
metadata (metrics above all: their values *are* metadata) goes into the ExecutorOutput JSON at
{{$.outputs.output_file}}, which Sluice (and KFP's launcher) merge into the artifacts it publishes.
"""

import json
import os


def write_parameter(path, value):
    """A parameter output file holds the value as text; JSON for anything but a string."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(value if isinstance(value, str) else json.dumps(value))


def write_executor_output(path, artifact_metadata):
    """artifact_metadata: output artifact name -> metadata dict."""
    output = {
        "artifacts": {
            name: {"artifacts": [{"metadata": metadata}]} for name, metadata in artifact_metadata.items()
        }
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        json.dump(output, file)


def confusion_matrix_metadata(categories, matrix):
    """KFP's system.ClassificationMetrics shape, as its SDK's log_confusion_matrix writes it."""
    return {
        "confusionMatrix": {
            "annotationSpecs": [{"displayName": name} for name in categories],
            "rows": [{"row": [int(value) for value in row]} for row in matrix],
        }
    }
