import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isKnownHarmlessWarning } from './quietKnownWarnings.ts';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

function warning(name: string, stack: string): Error {
  return Object.assign(new Error('Possible EventEmitter memory leak detected.'), { name, stack });
}

describe('quietKnownWarnings', () => {
  it('recognises only the MaxListenersExceededWarning raised inside teeny-request', () => {
    const teeny =
      'MaxListenersExceededWarning: ...\n    at PassThrough.<anonymous> (/x/node_modules/teeny-request/build/src/index.js:461:43)';
    expect(isKnownHarmlessWarning(warning('MaxListenersExceededWarning', teeny))).toBe(true);
    expect(
      isKnownHarmlessWarning(
        warning('MaxListenersExceededWarning', 'at Object.<anonymous> (/x/ours.js:1:1)'),
      ),
    ).toBe(false);
    expect(isKnownHarmlessWarning(warning('DeprecationWarning', teeny))).toBe(false);
  });

  it('drops the known warning and still prints every other one, in a real process', async () => {
    // The child emits a leak warning from a file under a teeny-request directory, and another
    // from elsewhere: only the second may reach stderr.
    const script = `
      import { quietKnownWarnings } from ${JSON.stringify(join(here, 'quietKnownWarnings.ts'))};
      quietKnownWarnings();
      const fromTeeny = new Error('11 error listeners added to [PassThrough]');
      fromTeeny.name = 'MaxListenersExceededWarning';
      fromTeeny.stack = 'MaxListenersExceededWarning: x\\n    at f (/m/node_modules/teeny-request/build/src/index.js:1:1)';
      process.emitWarning(fromTeeny);
      const ours = new Error('11 close listeners added to [Socket]');
      ours.name = 'MaxListenersExceededWarning';
      process.emitWarning(ours);
      process.emitWarning('a plain warning');
    `;
    const { stderr } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: here },
    );
    expect(stderr).not.toContain('[PassThrough]');
    expect(stderr).toContain('11 close listeners added to [Socket]');
    expect(stderr).toContain('a plain warning');
  });
});
