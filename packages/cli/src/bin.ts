#!/usr/bin/env node
import { exitOnBrokenPipe } from './brokenPipe.ts';
import { main } from './main.ts';
import { quietKnownWarnings } from './quietKnownWarnings.ts';

quietKnownWarnings();
exitOnBrokenPipe();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`sealstream: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
