#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it (and the user's pipeline.ts files) on the fly, so no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
