"""The annotations a component's signature uses to say what each argument is (kfp/dsl/types/type_annotations.py):
`Input[T]` / `Output[T]` (artifacts as objects), `InputPath(T)` / `OutputPath(T)` (paths to files, or for an
input parameter its value), `EmbeddedInput[T]` (an artifact packed into the component's source)."""
import typing
from typing import Annotated, Any, TypeVar

T = TypeVar('T')


class InputAnnotation:
    """Marks Input[T]."""


class OutputAnnotation:
    """Marks Output[T]."""


class EmbeddedAnnotation:
    """Marks EmbeddedInput[T]."""


Input = Annotated[T, InputAnnotation]
Output = Annotated[T, OutputAnnotation]
EmbeddedInput = Annotated[T, EmbeddedAnnotation]


class _PathAnnotation:
    def __init__(self, type: Any = None) -> None:
        self.type = type

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.type == other.type  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self.type)))

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.type!r})'


class InputPath(_PathAnnotation):
    """An input read from a file: the artifact's local path (for a parameter, KFP passes the value)."""


class OutputPath(_PathAnnotation):
    """An output written to a file: the output parameter's file, or the output artifact's local path."""


PARAMETER_TYPES = (str, int, float, bool, list, dict)
_PARAMETER_TYPE_NAMES = {'String', 'Integer', 'Float', 'Double', 'Boolean', 'Bool', 'JsonArray', 'JsonObject',
                         'List', 'Dict', 'str', 'int', 'float', 'bool', 'list', 'dict'}


def strip_optional(annotation: Any) -> Any:
    """Optional[X] -> X (KFP's maybe_strip_optional_from_annotation)."""
    if typing.get_origin(annotation) is typing.Union:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def annotated_marker(annotation: Any) -> Any:
    """InputAnnotation / OutputAnnotation / EmbeddedAnnotation for Input[T] etc., else None."""
    for marker in getattr(annotation, '__metadata__', ()):
        if marker in (InputAnnotation, OutputAnnotation, EmbeddedAnnotation):
            return marker
    return None


def inner_type(annotation: Any) -> Any:
    """T of Input[T] / Output[T] / EmbeddedInput[T]."""
    return getattr(annotation, '__origin__', annotation)


def is_parameter(annotation: Any) -> bool:
    if annotation in PARAMETER_TYPES or annotation is typing.Any:
        return True
    if isinstance(annotation, str):
        return annotation in _PARAMETER_TYPE_NAMES
    return typing.get_origin(annotation) in (list, dict)  # List[int], Dict[str, int]


def is_list_of_artifacts(annotation: Any) -> bool:
    from kfp.dsl.artifact_types import Artifact
    if typing.get_origin(annotation) is not list:
        return False
    args = typing.get_args(annotation)
    return len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], Artifact)


def is_artifact_class(annotation: Any) -> bool:
    from kfp.dsl.artifact_types import Artifact
    return isinstance(annotation, type) and issubclass(annotation, Artifact)


def is_named_tuple(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, tuple) and hasattr(annotation, '_fields')
