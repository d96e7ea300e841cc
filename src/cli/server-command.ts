/**
 * `sluice server [--host H] [--port N]`: the API and the web UI over the store in SLUICE_HOME, finishing
 * runs left unfinished by a crash. `sluice ui` is the same and opens the UI in the browser. Ctrl-C leaves at once: runs it was driving are adopted by the next start (or
 * `sluice resume`), exactly as after a crash, so stopping never waits for a long run.
 */
import { spawn } from 'node:child_process';
import { startServer } from '../server/index.ts';

export async function serverCommand(options: {
  host: string;
  port: number;
  openBrowser?: boolean;
}): Promise<number> {
  const token = process.env.SLUICE_TOKEN;
  const server = await startServer({
    host: options.host,
    port: options.port,
    ...(token !== undefined ? { token } : {}),
  });
  process.stdout.write(
    `sluice server on ${server.url} (store ${server.home})${token ? ', bearer token required' : ''}\n` +
      `  UI: ${server.url}/   API: ${server.url}/apis/v2beta1/runs   OpenAPI: ${server.url}/openapi.json\n` +
      (server.adopted.length > 0 ? `  finishing ${server.adopted.length} unfinished run(s)\n` : ''),
  );
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && !token)
    process.stderr.write(
      `warning: listening on ${options.host} without SLUICE_TOKEN: anyone who can reach it can run commands\n`,
    );
  if (options.openBrowser) openInBrowser(`${server.url}/`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.exit(0);
}

/** The desktop's own opener; without one (a server, a container) the printed address is the way in. */
function openInBrowser(url: string): void {
  const [command, ...args] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '', url]
        : ['xdg-open', url];
  const child = spawn(command!, args, { stdio: 'ignore', detached: true });
  child.on('error', () =>
    process.stderr.write(`could not open a browser (${command} is missing): open ${url} yourself\n`),
  );
  child.unref();
}
