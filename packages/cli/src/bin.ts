#!/usr/bin/env node
import { exitOnBrokenPipe } from './brokenPipe.ts';
import { callerDirectory } from './callerDirectory.ts';
import { main } from './main.ts';
import { quietKnownWarnings } from './quietKnownWarnings.ts';
import { tightenHeap } from './tightenHeap.ts';

quietKnownWarnings();
tightenHeap();
exitOnBrokenPipe();
// `pnpm sealstream` from a subfolder: relative paths are the caller's, not the repository root's.
const caller = callerDirectory();
if (caller !== undefined) process.chdir(caller);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`sealstream: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
