/**
 * The API bench's server, in its own process so that the load generator does not share its event loop:
 * `startServer` on 127.0.0.1 (free port) over the given SLUICE_HOME; prints its URL, serves until stdin ends.
 */
import { startServer } from '../src/server/index.ts';

const server = await startServer({ home: process.argv[2]!, host: '127.0.0.1', port: 0 });
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
