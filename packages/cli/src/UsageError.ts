import { SealstreamError } from '@sealstream/streams';

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends SealstreamError {
  constructor(message: string) {
    super('ERR_CLI_USAGE', message);
  }
}
