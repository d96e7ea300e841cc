"""KFP's artifact classes (kfp/dsl/types/artifact_types.py), with the same attributes and metadata shapes.

The one difference is where an artifact's content lives: KFP maps remote URIs to FUSE mounts (gs://b/k ->
/gcs/b/k); Sluice gives each artifact a local path in the ExecutorInput (`path`, a Sluice addition) and
uses file:// URIs, so `.path` prefers that path, then file:// and plain absolute URIs, then KFP's mounts.
"""
import os
from typing import Dict, List, Optional

_REMOTE_MOUNTS = (('gs://', '/gcs/'), ('minio://', '/minio/'), ('s3://', '/s3/'))

# The task's root (dirname of the ExecutorOutput file), set by the executor; dsl.get_uri() builds on it.
CONTAINER_TASK_ROOT: Optional[str] = None


def uri_to_path(uri: str) -> Optional[str]:
    if uri.startswith('file://'):
        path = uri[len('file://'):]
        path = path[path.index('/'):] if not path.startswith('/') and '/' in path else path  # file://host/p
        if '%' in path:
            from urllib.parse import unquote  # only for escaped URIs: not imported by every task
            path = unquote(path)
        return path
    for prefix, mount in _REMOTE_MOUNTS:
        if uri.startswith(prefix):
            return mount + uri[len(prefix):]
    if uri.startswith('/'):
        return uri  # kfp.local uses local paths as URIs
    return None


class Artifact:
    schema_title = 'system.Artifact'
    schema_version = '0.0.1'

    def __init__(self, name: Optional[str] = None, uri: Optional[str] = None,
                 metadata: Optional[Dict] = None) -> None:
        self.uri = uri or ''
        self.name = name or ''
        self.metadata = metadata or {}
        self.custom_path = ''
        self._local_path: Optional[str] = None  # the ExecutorInput's `path`, when the engine gave one

    @property
    def path(self) -> Optional[str]:
        if self.custom_path:
            return self.custom_path
        if self._local_path:
            return self._local_path
        return uri_to_path(self.uri)

    @path.setter
    def path(self, path: str) -> None:
        # KFP maps the path back to a URI; a local path is its own URI here.
        self._local_path = None
        self.uri = path

    def set_path(self, path: str) -> None:
        """KFP ≥ 2.13: content lives at `path` (the launcher uploads from there); Sluice copies it back."""
        self.custom_path = path

    def __repr__(self) -> str:
        return f'{type(self).__name__}(name={self.name!r}, uri={self.uri!r}, metadata={self.metadata!r})'


class Dataset(Artifact):
    schema_title = 'system.Dataset'


class Model(Artifact):
    schema_title = 'system.Model'

    @property
    def framework(self) -> str:
        return self.metadata.get('framework', '')

    @framework.setter
    def framework(self, framework: str) -> None:
        self.metadata['framework'] = framework


class HTML(Artifact):
    schema_title = 'system.HTML'


class Markdown(Artifact):
    schema_title = 'system.Markdown'


class Metrics(Artifact):
    """Scalar metrics: a flat name -> number map in metadata."""
    schema_title = 'system.Metrics'

    def log_metric(self, metric: str, value: float) -> None:
        self.metadata[metric] = value


class ClassificationMetrics(Artifact):
    """ROC points in metadata['confidenceMetrics'], the confusion matrix in metadata['confusionMatrix']."""
    schema_title = 'system.ClassificationMetrics'

    def log_roc_data_point(self, fpr: float, tpr: float, threshold: float) -> None:
        point = {'confidenceThreshold': threshold, 'recall': tpr, 'falsePositiveRate': fpr}
        self.metadata.setdefault('confidenceMetrics', []).append(point)

    def log_roc_curve(self, fpr: List[float], tpr: List[float], threshold: List[float]) -> None:
        if not len(fpr) == len(tpr) == len(threshold):
            raise ValueError(f'Length of fpr, tpr and threshold must be the same. '
                             f'Got lengths {len(fpr)}, {len(tpr)} and {len(threshold)} respectively.')
        for i in range(len(fpr)):
            self.log_roc_data_point(fpr=fpr[i], tpr=tpr[i], threshold=threshold[i])

    def set_confusion_matrix_categories(self, categories: List[str]) -> None:
        self._categories = list(categories)
        self._matrix = [[0] * len(categories) for _ in categories]
        self._write_matrix()

    def log_confusion_matrix_row(self, row_category: str, row: List[float]) -> None:
        if len(row) != len(self._categories):
            raise ValueError(f'Invalid row. Expected size: {len(self._categories)} got: {len(row)}')
        self._matrix[self._index(row_category)] = list(row)
        self._write_matrix()

    def log_confusion_matrix_cell(self, row_category: str, col_category: str, value: int) -> None:
        self._matrix[self._index(row_category)][self._index(col_category)] = value
        self._write_matrix()

    def log_confusion_matrix(self, categories: List[str], matrix: List[List[float]]) -> None:
        self.set_confusion_matrix_categories(categories)
        if len(matrix) != len(categories):
            raise ValueError(f'Invalid matrix: {len(matrix)} rows for {len(categories)} categories')
        for index, row in enumerate(matrix):
            self.log_confusion_matrix_row(categories[index], row)

    def _index(self, category: str) -> int:
        if not hasattr(self, '_categories'):
            raise ValueError('set_confusion_matrix_categories() must be called first')
        if category not in self._categories:
            raise ValueError(f'Invalid category: {category} passed. Expected one of: {self._categories}')
        return self._categories.index(category)

    def _write_matrix(self) -> None:
        self.metadata['confusionMatrix'] = {
            'annotationSpecs': [{'displayName': c} for c in self._categories],
            'rows': [{'row': list(row)} for row in self._matrix],
        }


class SlicedClassificationMetrics(Artifact):
    """ClassificationMetrics per slice, in metadata['evaluationSlices']."""
    schema_title = 'system.SlicedClassificationMetrics'

    def __init__(self, name: Optional[str] = None, uri: Optional[str] = None,
                 metadata: Optional[Dict] = None) -> None:
        super().__init__(name=name, uri=uri, metadata=metadata)
        self._sliced: Dict[str, ClassificationMetrics] = {}

    def _slice(self, slice: str) -> ClassificationMetrics:
        return self._sliced.setdefault(slice, ClassificationMetrics())

    def _update_metadata(self) -> None:
        self.metadata['evaluationSlices'] = [
            {'slice': name, 'sliceClassificationMetrics': metrics.metadata}
            for name, metrics in self._sliced.items()
        ]

    def log_roc_reading(self, slice: str, threshold: float, tpr: float, fpr: float) -> None:
        self._slice(slice).log_roc_data_point(fpr=fpr, tpr=tpr, threshold=threshold)
        self._update_metadata()

    def load_roc_readings(self, slice: str, readings: List[List[float]]) -> None:
        for threshold, tpr, fpr in readings:
            self._slice(slice).log_roc_data_point(fpr=fpr, tpr=tpr, threshold=threshold)
        self._update_metadata()

    def set_confusion_matrix_categories(self, slice: str, categories: List[str]) -> None:
        self._slice(slice).set_confusion_matrix_categories(categories)
        self._update_metadata()

    def log_confusion_matrix_row(self, slice: str, row_category: str, row: List[int]) -> None:
        self._slice(slice).log_confusion_matrix_row(row_category, row)
        self._update_metadata()

    def log_confusion_matrix_cell(self, slice: str, row_category: str, col_category: str,
                                  value: int) -> None:
        self._slice(slice).log_confusion_matrix_cell(row_category, col_category, value)
        self._update_metadata()

    def load_confusion_matrix(self, slice: str, categories: List[str], matrix: List[List[int]]) -> None:
        self._slice(slice).log_confusion_matrix(categories, matrix)
        self._update_metadata()


_SCHEMA_TITLE_TO_TYPE = {
    cls.schema_title: cls
    for cls in (Artifact, Dataset, Model, Metrics, ClassificationMetrics, SlicedClassificationMetrics,
                HTML, Markdown)
}


def create_artifact_instance(runtime_artifact: Dict, fallback_artifact_cls=Artifact) -> Artifact:
    """An artifact object from an ExecutorInput entry: the class its schema title names, else the fallback."""
    schema_title = runtime_artifact.get('type', {}).get('schemaTitle', '')
    cls = _SCHEMA_TITLE_TO_TYPE.get(schema_title, fallback_artifact_cls)
    if not (isinstance(cls, type) and issubclass(cls, Artifact)):
        cls = Artifact
    artifact = cls(name=runtime_artifact.get('name', ''), uri=runtime_artifact.get('uri', ''),
                   metadata=dict(runtime_artifact.get('metadata') or {}))
    artifact._local_path = runtime_artifact.get('path') or None
    return artifact


def get_uri(suffix: str = 'Output') -> str:
    """A URI under the task's root for an artifact the function creates and returns (pythonic artifacts)."""
    if CONTAINER_TASK_ROOT is None:
        raise RuntimeError('dsl.get_uri() can only be called inside a running component')
    return os.path.join(CONTAINER_TASK_ROOT, suffix)
