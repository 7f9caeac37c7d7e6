#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx scoring-desk` works right after `npm install`, with no build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv);
