import { parse, type Spec, type Values } from './args.ts';

/** A `sealstream` command: its name, its line in `sealstream --help`, its `--help` and its run. */
export interface Command {
  name: string;
  /** One line for `sealstream --help`. */
  summary: string;
  /** What `sealstream NAME --help` prints. */
  usage: string;
  /** Runs the command on its arguments; resolves to the exit status. */
  run(argv: string[]): Promise<number>;
}

/**
 * Declares a command once: its options (parsed strictly, with `--help` and `--collection` added:
 * see {@link parse}), its usage and its body, which gets the parsed values and positionals.
 *
 * @example
 * ```ts
 * import { defineCommand } from './defineCommand.ts';
 * const hello = defineCommand({
 *   name: 'hello', summary: 'say hello', usage: 'sealstream hello [--loud]',
 *   options: { loud: { type: 'boolean' } },
 *   async run({ values }) { console.log(values.loud ? 'HELLO' : 'hello'); return 0; },
 * });
 * await hello.run(['--loud']); // prints HELLO
 * ```
 */
export function defineCommand<S extends Spec>(definition: {
  name: string;
  summary: string;
  usage: string;
  options: S;
  run(parsed: { values: Values<S>; positionals: string[] }): Promise<number>;
}): Command {
  const { name, summary, usage, options } = definition;
  return {
    name,
    summary,
    usage,
    async run(argv) {
      const parsed = parse(argv, options);
      if (parsed.values.help) {
        console.log(usage);
        return 0;
      }
      return definition.run(parsed);
    },
  };
}
