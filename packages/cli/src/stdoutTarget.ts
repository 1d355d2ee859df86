import type { RestoreTarget } from '@sealstream/backup';
import { printable } from './output.ts';
import { UsageError } from './UsageError.ts';

/**
 * A restore target that writes exactly one file or stream object to `out` (stdout by default):
 * `sealstream dump` and `restore --to -`. It refuses, before anything is read, a selection of
 * several objects, a directory or a symlink. Bytes reach `out` as they are authenticated; a
 * failure part way leaves a partial output behind (the exit status says so).
 */
export function stdoutTarget(out: NodeJS.WritableStream = process.stdout): RestoreTarget {
  const refuse = (why: string): never => {
    throw new UsageError(`stdout takes exactly one file or stream object: ${why}`);
  };
  let selected = '';
  return {
    begin(objects) {
      const [first] = objects;
      selected = first?.name ?? '';
      if (!first) refuse('no object is selected');
      else if (objects.length > 1) {
        if (first.type === 'dir') refuse(`${printable(first.name)} is a directory`);
        const names = objects.slice(0, 3).map((o) => printable(o.name));
        refuse(
          `${objects.length} objects are selected (${names.join(', ')}${objects.length > 3 ? ', …' : ''}); name one with --object`,
        );
      } else if (first.type !== 'file' && first.type !== 'stream')
        refuse(`${printable(first.name)} is a ${first.type}`);
    },
    async mkdir(name) {
      // The directories above the one object are made by a restore; stdout has none to make.
      if (!selected.startsWith(`${name}/`)) refuse(`${printable(name)} is a directory`);
    },
    async symlink(name) {
      refuse(`${printable(name)} is a symlink`);
    },
    async writeFile() {
      return new WritableStream<Uint8Array>({
        write: (chunk) =>
          new Promise<void>((resolve, reject) => {
            out.write(chunk, (e) => (e ? reject(e) : resolve()));
          }),
      });
    },
  };
}
