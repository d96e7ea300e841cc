"""The `kfp.dsl` names a lightweight component's embedded source imports (`from kfp.dsl import *`).

Only what runs inside a task: artifact classes, argument annotations, `PipelineTaskFinalStatus`,
`get_uri`, and decorators that hand the function back (with KFP's options as attributes) so that a module
defining pipelines or components still imports. Compiling pipelines is the real KFP SDK's job.
"""
import functools
from typing import Any, Callable, List, NamedTuple, Optional  # noqa: F401  (re-exported like KFP does)

from kfp.dsl.artifact_types import (  # noqa: F401
    HTML, Artifact, ClassificationMetrics, Dataset, Markdown, Metrics, Model, SlicedClassificationMetrics,
    get_uri)
from kfp.dsl.task_final_status import PipelineTaskFinalStatus  # noqa: F401
from kfp.dsl.type_annotations import EmbeddedInput, Input, InputPath, Output, OutputPath  # noqa: F401

# Placeholders KFP substitutes at run time (used as default arguments in pipeline definitions).
PIPELINE_JOB_NAME_PLACEHOLDER = '{{$.pipeline_job_name}}'
PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER = '{{$.pipeline_job_resource_name}}'
PIPELINE_JOB_ID_PLACEHOLDER = '{{$.pipeline_job_uuid}}'
PIPELINE_TASK_NAME_PLACEHOLDER = '{{$.pipeline_task_name}}'
PIPELINE_TASK_ID_PLACEHOLDER = '{{$.pipeline_task_uuid}}'
PIPELINE_ROOT_PLACEHOLDER = '{{$.pipeline_root}}'
PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER = '{{$.pipeline_job_create_time_utc}}'
PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER = '{{$.pipeline_job_schedule_time_utc}}'

__all__ = [
    'Artifact', 'ClassificationMetrics', 'Dataset', 'HTML', 'Markdown', 'Metrics', 'Model',
    'SlicedClassificationMetrics', 'Input', 'Output', 'InputPath', 'OutputPath', 'EmbeddedInput',
    'PipelineTaskFinalStatus', 'get_uri', 'component', 'pipeline', 'container_component',
]


def _decorator(kind: str, func: Optional[Callable], options: dict) -> Any:
    def wrap(function: Callable) -> Callable:
        @functools.wraps(function)
        def component_function(*args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)
        component_function.python_func = function  # type: ignore[attr-defined]  (what KFP's executor calls)
        component_function.component_kind = kind  # type: ignore[attr-defined]
        for name, value in options.items():
            setattr(component_function, name, value)
        return component_function
    return wrap(func) if func is not None else wrap


def component(func: Optional[Callable] = None, *, base_image: Optional[str] = None,
              target_image: Optional[str] = None, packages_to_install: Optional[List[str]] = None,
              pip_index_urls: Optional[List[str]] = None, **options: Any) -> Any:
    """@dsl.component or @dsl.component(...): the function, callable as is, with KFP's options attached."""
    return _decorator('component', func, dict(options, base_image=base_image, target_image=target_image,
                                              packages_to_install=packages_to_install or [],
                                              pip_index_urls=pip_index_urls))


def container_component(func: Callable) -> Callable:
    return _decorator('container_component', func, {})


def pipeline(func: Optional[Callable] = None, **options: Any) -> Any:
    return _decorator('pipeline', func, options)
