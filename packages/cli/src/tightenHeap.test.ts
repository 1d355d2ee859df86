import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, tightenHeap } from './tightenHeap.ts';

const run = promisify(execFile);

describe('tightenHeap', () => {
  it('sets the heap growing percent unless the process was given one', () => {
    const set: string[] = [];
    const record = (f: string) => {
      set.push(f);
    };
    expect(tightenHeap({ execArgv: ['--enable-source-maps'] }, record)).toBe(true);
    expect(set).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    expect(tightenHeap({ execArgv: ['--heap-growing-percent=50'] }, record)).toBe(false);
    expect(tightenHeap({ execArgv: ['--x', '--heap_growing_percent=0'] }, record)).toBe(false);
    expect(set.length).toBe(1);
  });

  it('names a flag this Node knows: setting it prints nothing', async () => {
    // V8 prints "unrecognized flag" for a flag it lacks: a Node without it would say so on
    // every command's stderr.
    const { stdout, stderr } = await run(process.execPath, [
      '-e',
      `require('node:v8').setFlagsFromString('--heap-growing-percent=${HEAP_GROWING_PERCENT}'); console.log('set')`,
    ]);
    expect(stdout.trim()).toBe('set');
    expect(stderr).toBe('');
  });
});
