#!/usr/bin/env node
// Loads the TypeScript CLI through tsx's loader in this same process (no build step, and signals
// such as Ctrl-C reach the CLI itself).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/run.ts');
