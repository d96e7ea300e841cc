/**
 * `sluice server [--host H] [--port N]`: the API over the store in SLUICE_HOME, finishing runs left
 * unfinished by a crash. Ctrl-C leaves at once: runs it was driving are adopted by the next start (or
 * `sluice resume`), exactly as after a crash, so stopping never waits for a long run.
 */
import { startServer } from '../server/index.ts';

export async function serverCommand(options: { host: string; port: number }): Promise<number> {
  const token = process.env.SLUICE_TOKEN;
  const server = await startServer({
    host: options.host,
    port: options.port,
    ...(token !== undefined ? { token } : {}),
  });
  process.stdout.write(
    `sluice server on ${server.url} (store ${server.home})${token ? ', bearer token required' : ''}\n` +
      `  API: ${server.url}/apis/v2beta1/runs   OpenAPI: ${server.url}/openapi.json\n` +
      (server.adopted.length > 0 ? `  finishing ${server.adopted.length} unfinished run(s)\n` : ''),
  );
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && !token)
    process.stderr.write(
      `warning: listening on ${options.host} without SLUICE_TOKEN: anyone who can reach it can run commands\n`,
    );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.exit(0);
}
