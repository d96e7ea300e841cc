"""Calls a component function with the arguments an ExecutorInput holds and writes what it returns, as KFP's
kfp/dsl/executor.py does: parameters by value (absent or null -> the function's default), artifacts as objects
or paths, the return value (or each NamedTuple field) as output parameters or artifacts, and the
ExecutorOutput JSON (parameterValues + every output artifact's name/uri/metadata) at outputs.outputFile.

Sluice addition: an output artifact whose content the function put elsewhere (`set_path()`, or a returned
artifact made with `dsl.get_uri()`) is copied to the artifact's provisioned local path, because the engine
publishes from there (KFP's launcher would upload from the other path instead).
"""
import json
import os
import sys
from typing import Any, Callable, Dict, List, Optional

from kfp.dsl import artifact_types, type_annotations as ta
from kfp.dsl.artifact_types import Artifact
from kfp.dsl.task_final_status import PipelineTaskFinalStatus


class Executor:
    def __init__(self, executor_input: Dict, function_to_execute: Callable) -> None:
        self.func = getattr(function_to_execute, 'python_func', function_to_execute)
        self.executor_input = executor_input
        self.executor_output_path = executor_input['outputs'].get('outputFile', '')
        self.annotations = _resolved_annotations(self.func)
        self.return_annotation = self.annotations.get('return')
        self.input_artifacts: Dict[str, Any] = {}
        self.output_artifacts: Dict[str, Artifact] = {}
        self.provisioned: Dict[str, Dict] = {}  # output name -> the ExecutorInput's artifact (uri, path)
        self.executor_output: Dict[str, Any] = {}
        if self.executor_output_path:
            artifact_types.CONTAINER_TASK_ROOT = os.path.dirname(self.executor_output_path)
        self._assign_artifacts()

    # -- inputs ---------------------------------------------------------------------------------------

    def _artifact_annotation(self, name: str) -> Any:
        """The function's annotation for an artifact argument, without Optional and Input/Output markers."""
        annotation = ta.strip_optional(self.annotations.get(name))
        if ta.annotated_marker(annotation) is not None:
            annotation = ta.inner_type(annotation)
        return annotation

    def _assign_artifacts(self) -> None:
        for name, entry in self.executor_input.get('inputs', {}).get('artifacts', {}).items():
            artifacts = entry.get('artifacts') or []
            if not artifacts:
                continue
            annotation = self._artifact_annotation(name)
            if ta.is_list_of_artifacts(annotation):
                cls = annotation.__args__[0]
                self.input_artifacts[name] = [artifact_types.create_artifact_instance(a, cls) for a in artifacts]
            else:
                self.input_artifacts[name] = artifact_types.create_artifact_instance(
                    artifacts[0], self._artifact_class(annotation))
        for name, entry in self.executor_input.get('outputs', {}).get('artifacts', {}).items():
            artifacts = entry.get('artifacts') or []
            if not artifacts:
                continue
            annotation = self._artifact_annotation(name)
            artifact = artifact_types.create_artifact_instance(artifacts[0], self._artifact_class(annotation))
            self.provisioned[name] = artifacts[0]
            self.output_artifacts[name] = artifact
            if artifact.path:
                os.makedirs(os.path.dirname(artifact.path), exist_ok=True)

    @staticmethod
    def _artifact_class(annotation: Any) -> Any:
        if isinstance(annotation, (ta.InputPath, ta.OutputPath)):
            annotation = annotation.type
        if isinstance(annotation, str):
            return artifact_types._SCHEMA_TITLE_TO_TYPE.get(f'system.{annotation.split("@")[0]}', Artifact)
        return annotation if ta.is_artifact_class(annotation) else Artifact

    def _parameter(self, name: str) -> Any:
        return (self.executor_input.get('inputs', {}).get('parameterValues') or {}).get(name)

    def _has_output_parameter(self, name: str) -> bool:
        return name in self.executor_input.get('outputs', {}).get('parameters', {})

    def _output_parameter_path(self, name: str) -> Optional[str]:
        parameter = self.executor_input['outputs'].get('parameters', {}).get(name)
        path = parameter.get('outputFile') if parameter else None
        if path:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def _output_artifact_path(self, name: str) -> Optional[str]:
        artifact = self.output_artifacts.get(name)
        if artifact is None:
            raise ValueError(f'Failed to get output artifact path for artifact name {name}')
        return artifact.path

    def _input_artifact_path(self, name: str) -> Optional[str]:
        artifact = self.input_artifacts.get(name)
        if artifact is None:
            raise ValueError(f'Failed to get input artifact path for artifact name {name}')
        return artifact.path

    def _arguments(self) -> Dict[str, Any]:
        kwargs: Dict[str, Any] = {}
        for name, annotation in self.annotations.items():
            if name == 'return':
                continue
            annotation = ta.strip_optional(annotation)
            marker = ta.annotated_marker(annotation)
            if annotation is PipelineTaskFinalStatus:
                # Outside an exit handler nothing provides it: None, where KFP would fail on `None.get`.
                value = self._parameter(name)
                kwargs[name] = PipelineTaskFinalStatus.from_value(value) if value is not None else None
            elif marker is ta.EmbeddedAnnotation:
                kwargs[name] = self._embedded_artifact(name, ta.inner_type(annotation))
            elif marker is ta.InputAnnotation:
                kwargs[name] = self.input_artifacts.get(name)
            elif marker is ta.OutputAnnotation:
                kwargs[name] = self.output_artifacts.get(name)
            elif ta.is_list_of_artifacts(annotation) or ta.is_artifact_class(annotation):
                kwargs[name] = self.input_artifacts.get(name)  # pythonic artifact inputs
            elif isinstance(annotation, ta.OutputPath):
                if self._has_output_parameter(name):
                    kwargs[name] = self._output_parameter_path(name)
                else:
                    kwargs[name] = self._output_artifact_path(name)
            elif isinstance(annotation, ta.InputPath):
                if name in self.executor_input.get('inputs', {}).get('artifacts', {}):
                    kwargs[name] = self._input_artifact_path(name)
                else:  # KFP passes an InputPath parameter's value, not a path
                    value = self._parameter(name)
                    if value is not None:
                        kwargs[name] = value
            else:
                value = self._parameter(name)
                if value is not None:
                    kwargs[name] = value
        return kwargs

    def _embedded_artifact(self, name: str, cls: Any) -> Artifact:
        # The embedded source unpacks its archive at import and names it in these module globals.
        module_globals = getattr(self.func, '__globals__', {})
        path = module_globals.get('__KFP_EMBEDDED_ASSET_FILE') or module_globals.get('__KFP_EMBEDDED_ASSET_DIR')
        if path is None:
            raise RuntimeError(f'EmbeddedInput {name!r}: the component source embeds no archive')
        return (cls if ta.is_artifact_class(cls) else Artifact)(name=name, uri=path)

    # -- outputs --------------------------------------------------------------------------------------

    def _write_parameter(self, name: str, value: Any) -> None:
        if not isinstance(value, (str, int, float, bool, list, dict)):
            raise ValueError(f'Unable to serialize unknown type `{value}` for parameter input with value '
                             f'`{type(value)}`')
        self.executor_output.setdefault('parameterValues', {})[name] = value

    def _handle_single_return(self, output_name: str, annotation: Any, value: Any) -> None:
        if ta.is_parameter(annotation):
            origin = getattr(annotation, '__origin__', None) or annotation
            if isinstance(origin, str) or origin is Any:
                accepted: Any = object
            else:
                accepted = (int, float) if origin is float else origin  # a float output accepts an int
            if not isinstance(value, accepted):
                raise ValueError(f'Function `{self.func.__name__}` returned value of type {type(value)}; '
                                 f'want type {origin}')
            self._write_parameter(output_name, value)
        elif ta.is_artifact_class(annotation) or ta.is_list_of_artifacts(annotation):
            if isinstance(value, Artifact):
                provisioned = self.provisioned.get(output_name, {})
                value.name = provisioned.get('name', value.name) or value.name
                self.output_artifacts[output_name] = value
            else:  # legacy: a value returned for an artifact output is its content
                path = self._output_artifact_path(output_name)
                with open(path, 'w') as f:
                    f.write(str(value))
        else:
            raise RuntimeError(f'Unknown return type: {annotation}. Must be one of the supported data types: '
                               'https://www.kubeflow.org/docs/components/pipelines/v2/data-types/')

    def _relocate(self, name: str, artifact: Artifact) -> Dict[str, Any]:
        """The artifact as the ExecutorOutput reports it, its content moved where the engine reads it."""
        provisioned = self.provisioned.get(name)
        if provisioned is None:
            return {'name': artifact.name, 'uri': artifact.uri, 'metadata': artifact.metadata}
        target = provisioned.get('path') or artifact_types.uri_to_path(provisioned.get('uri', ''))
        source = artifact.path
        if target and source and os.path.abspath(source) != os.path.abspath(target) and os.path.exists(source):
            import shutil  # rarely needed: not imported by every task
            if os.path.isdir(source):
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copyfile(source, target)
        return {'name': provisioned.get('name', artifact.name), 'uri': provisioned.get('uri', artifact.uri),
                'metadata': artifact.metadata}

    def write_executor_output(self, func_output: Any = None) -> Optional[str]:
        if func_output is not None:
            annotation = self.return_annotation
            if ta.is_parameter(annotation) or ta.is_artifact_class(annotation) \
                    or ta.is_list_of_artifacts(annotation):
                self._handle_single_return('Output', annotation, func_output)  # a single output is `Output`
            elif ta.is_named_tuple(annotation):
                fields = annotation._fields
                if len(fields) != len(func_output):
                    raise RuntimeError(f'Expected {len(fields)} return values from function '
                                       f'`{self.func.__name__}`, got {len(func_output)}')
                field_types = _resolved_annotations(annotation)
                for index, field in enumerate(fields):
                    value = func_output[index] if type(func_output) is tuple else getattr(func_output, field)
                    self._handle_single_return(field, field_types[field], value)
            else:
                raise RuntimeError(f'Unknown return type: {annotation}. Must be one of `str`, `int`, `float`, '
                                   '`bool`, `list`, `dict`, an artifact class, or a `NamedTuple`.')
        if self.output_artifacts:
            self.executor_output['artifacts'] = {
                name: {'artifacts': [self._relocate(name, artifact)]}
                for name, artifact in self.output_artifacts.items()
            }
        if not self.executor_output_path:
            return None
        os.makedirs(os.path.dirname(self.executor_output_path), exist_ok=True)
        with open(self.executor_output_path, 'w') as f:
            f.write(json.dumps(self.executor_output))
        return self.executor_output_path

    def execute(self) -> Optional[str]:
        result = self.func(**self._arguments())
        return self.write_executor_output(func_output=result)


def _resolved_annotations(obj: Any) -> Dict[str, Any]:
    """The object's annotations, string ones (PEP 563, forward references) evaluated in its module."""
    annotations = dict(getattr(obj, '__annotations__', {}) or {})
    namespace = getattr(obj, '__globals__', None) or vars(sys.modules.get(getattr(obj, '__module__', ''), sys))
    for name, annotation in annotations.items():
        if isinstance(annotation, str):
            try:
                annotations[name] = eval(annotation, dict(namespace))  # noqa: S307 (the user's own source)
            except Exception:
                pass  # a KFP type name such as 'Dataset' given as text: handled as text
    return annotations
