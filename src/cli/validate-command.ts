/**
 * `sluice validate FILE...`: every issue of every file (IR YAML/JSON, or a pipeline module, which is
 * compiled first). Exit 0 when all are valid, 1 otherwise.
 */
import { isSluiceError } from '../errors.ts';
import { formatIssues, type Issue, validatePipeline, validatePipelineFile } from '../ir/index.ts';
import { compileModule } from './compile-module.ts';
import { isPipelineModulePath } from './load-pipeline-module.ts';

interface FileReport {
  file: string;
  valid: boolean;
  issues: Issue[];
  /** Set when the file could not be read or its module failed before any IR existed. */
  error?: { code: string; message: string };
}

export async function validateCommand(files: string[], options: { json?: boolean }): Promise<number> {
  const reports: FileReport[] = [];
  for (const file of files) reports.push(await validateFile(file));
  if (options.json) process.stdout.write(`${JSON.stringify(reports)}\n`);
  else process.stdout.write(renderReports(reports));
  return reports.every((report) => report.valid) ? 0 : 1;
}

async function validateFile(file: string): Promise<FileReport> {
  try {
    const issues = isPipelineModulePath(file)
      ? validatePipeline(await compileModule(file))
      : await validatePipelineFile(file);
    return { file, valid: issues.length === 0, issues };
  } catch (error) {
    if (!isSluiceError(error)) throw error;
    return { file, valid: false, issues: [], error: { code: error.code, message: error.message } };
  }
}

function renderReports(reports: FileReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.error)
      lines.push(
        report.error.message.startsWith(report.file)
          ? report.error.message
          : `${report.file}: ${report.error.message}`,
      );
    else if (report.valid) lines.push(`${report.file}: valid`);
    else lines.push(formatIssues(report.issues, report.file));
  }
  const invalid = reports.filter((report) => !report.valid).length;
  if (reports.length > 1 || invalid > 0) {
    lines.push(`${reports.length} file${reports.length === 1 ? '' : 's'} checked, ${invalid} invalid`);
  }
  return `${lines.join('\n')}\n`;
}
