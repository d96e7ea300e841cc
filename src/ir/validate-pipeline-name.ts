/**
 * `pipelineInfo.name` is the key KFP files runs and cache entries under (the MLMD pipeline context, the cache
 * lookup's `pipeline/<name>`), and the KFP SDK accepts only `^[a-z0-9][a-z0-9-]{0,127}$`
 * (kfp/compiler/helpers.py `_validate_pipeline_name`). Every corpus pipeline fits it; a display name with
 * spaces or capitals belongs in `pipelineInfo.displayName`.
 */
import type { Issue } from './issues.ts';
import type { PipelineDocument } from './spec.ts';

const PIPELINE_NAME = /^[a-z0-9][a-z0-9-]{0,127}$/;

export function checkPipelineName(document: PipelineDocument): Issue[] {
  const name = document.pipelineSpec.pipelineInfo?.name;
  if (name === undefined || PIPELINE_NAME.test(name)) return [];
  const suggestion = suggestPipelineName(name);
  const example = suggestion === '' ? '' : ` such as '${suggestion}'`;
  return [
    {
      code: 'INVALID_VALUE',
      path: 'pipelineInfo.name',
      message: `'${name}' is not a valid KFP pipeline name: use 1–128 lowercase letters, digits and '-', starting with a letter or digit${example}; put a free-form title in pipelineInfo.displayName`,
    },
  ];
}

function suggestPipelineName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128);
}
