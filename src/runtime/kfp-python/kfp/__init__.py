"""Sluice's stand-in for the `kfp` package, for running KFP lightweight Python components locally.

Only the component side of KFP's runtime protocol lives here (what `python3 -m kfp.dsl.executor_main`
needs inside a task): the `kfp.dsl` names a component's source imports, and the executor that calls the
function and writes its outputs. Nothing here compiles pipelines. Standard library only, Python 3.9+.
"""

__version__ = '2.14.6+sluice'

from kfp import dsl  # noqa: E402,F401  (`import kfp; kfp.dsl.Output` works as with the real package)
