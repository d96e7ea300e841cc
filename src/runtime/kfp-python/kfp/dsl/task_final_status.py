"""The value an exit task's `PipelineTaskFinalStatus` argument receives (kfp/dsl/task_final_status.py).
A plain class rather than KFP's dataclass: importing dataclasses (and inspect) costs every task ~15 ms."""
from typing import Optional


class PipelineTaskFinalStatus:
    def __init__(self, state: str, pipeline_job_resource_name: str, pipeline_task_name: str,
                 error_code: Optional[int], error_message: Optional[str]) -> None:
        self.state = state
        self.pipeline_job_resource_name = pipeline_job_resource_name
        self.pipeline_task_name = pipeline_task_name
        self.error_code = error_code
        self.error_message = error_message

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __repr__(self) -> str:
        fields = ', '.join(f'{name}={value!r}' for name, value in vars(self).items())
        return f'PipelineTaskFinalStatus({fields})'

    @classmethod
    def from_value(cls, value: dict) -> 'PipelineTaskFinalStatus':
        # KFP reads both the camelCase names the backend sends and the snake_case ones kfp.local sends.
        def field(camel: str, snake: str):
            return value.get(snake) if snake in value else value.get(camel)
        error = value.get('error') or {}
        return cls(state=value.get('state'), pipeline_job_resource_name=field('pipelineJobResourceName',
                   'pipeline_job_resource_name'), pipeline_task_name=field('pipelineTaskName', 'pipeline_task_name'),
                   error_code=error.get('code'), error_message=error.get('message'))
