// A worker thread does not inherit the TypeScript loader its parent registered: register tsx here (as
// bin/sluice.js does for the CLI), then load the worker written in TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./read-worker.ts');
