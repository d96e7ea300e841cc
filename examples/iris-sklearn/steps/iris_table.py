"""The CSV shape the steps exchange: the same columns as examples/iris, so either pipeline's data fits."""

import csv

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
COLUMNS = FEATURES + ["species"]


def write_rows(path, rows):
    """rows: (features, species) pairs."""
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COLUMNS)
        for features, species in rows:
            writer.writerow([*features, species])


def read_rows(path):
    """Features as a list of float lists, species as a list of names."""
    with open(path, newline="", encoding="utf-8") as file:
        records = list(csv.DictReader(file))
    return [[float(record[name]) for name in FEATURES] for record in records], [r["species"] for r in records]
