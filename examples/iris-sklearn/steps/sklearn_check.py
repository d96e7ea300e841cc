"""Imported first by every step that needs scikit-learn, so that a Python without it fails with one line
saying what to do instead of a traceback (the task's error shows only the last lines of its log)."""

import sys

try:
    import sklearn  # noqa: F401
except ImportError:
    sys.exit(
        f"{sys.executable} cannot import scikit-learn: install it (Debian/Ubuntu: apt-get install "
        "python3-sklearn; else pip install scikit-learn) or run with -p python=/path/to/python/with/sklearn"
    )
