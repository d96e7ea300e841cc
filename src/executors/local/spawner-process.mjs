// The spawner: a small Node process (plain JavaScript, no dependencies) that starts task processes for the
// local executor. Starting a process forks its parent, and forking the engine (a large process) costs several
// times more than forking this one; every task pays that cost, so the engine asks this process to do it.
//
// Protocol: newline-delimited JSON. First line out: {"ready": true}. Requests on stdin:
//   {"id": 1, "file": "sh", "args": ["-c", "…"], "cwd": "…", "env": {…}, "log": "/path/output.log"}
// Replies on stdout, in order per id: {"id": 1, "pid": 4242} or {"id": 1, "error": {"code", "message"}},
// then {"id": 1, "exit": {"code": 0, "signal": null}}. Stdin closing (the engine is gone) ends the spawner;
// the task processes it started live on (they are detached), as they would after an engine crash.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';

const reply = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

function start(request) {
  let log;
  try {
    log = openSync(request.log, 'a');
  } catch (error) {
    reply({ id: request.id, error: { code: error.code ?? 'EIO', message: error.message } });
    return;
  }
  let child;
  try {
    child = spawn(request.file, request.args, {
      cwd: request.cwd,
      env: request.env,
      stdio: ['ignore', log, log],
      detached: true,
      shell: false,
    });
  } catch (error) {
    closeSync(log);
    reply({ id: request.id, error: { code: error.code ?? 'EIO', message: error.message } });
    return;
  }
  closeSync(log);
  child.once('error', (error) =>
    reply({ id: request.id, error: { code: error.code ?? 'EIO', message: error.message } }),
  );
  child.once('spawn', () => reply({ id: request.id, pid: child.pid }));
  child.once('exit', (code, signal) => reply({ id: request.id, exit: { code, signal } }));
}

// The engine went away: nobody is left to tell.
process.stdout.on('error', () => process.exit(0));
reply({ ready: true });
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === '') return;
  start(JSON.parse(line));
});
lines.on('close', () => process.exit(0));
