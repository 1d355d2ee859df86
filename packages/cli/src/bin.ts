#!/usr/bin/env node
import { main } from './main.ts';
import { quietKnownWarnings } from './quietKnownWarnings.ts';

quietKnownWarnings();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`sealstream: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
