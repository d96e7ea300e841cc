/**
 * Runs the real `sluice` command (bin/sluice.js in a child process), as a user would.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const corpusRoot = resolve(repoRoot, '../shared/kfp-corpus');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runSluice(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/sluice.js'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/**
 * Writes files into a fresh project directory whose `node_modules/sluice` links to this repository, so
 * `import … from 'sluice'` resolves as in a user's project, and returns the directory.
 */
export function writeInlineFiles(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'sluice-project-'));
  mkdirSync(join(directory, 'node_modules'));
  symlinkSync(repoRoot, join(directory, 'node_modules/sluice'), 'dir');
  writeFileSync(
    join(directory, 'package.json'),
    JSON.stringify({ name: 'user-project', type: 'module', private: true }),
  );
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, name)), { recursive: true });
    writeFileSync(join(directory, name), content);
  }
  return directory;
}

export function scratchDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'sluice-e2e-'));
}
