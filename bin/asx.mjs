#!/usr/bin/env node
// `asx` runs the TypeScript CLI directly (no build step): tsx registers its loader, then main runs.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
