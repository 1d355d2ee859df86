import { HARMLESS_STORAGE_PARAMS, StorageError } from '@sealstream/storage';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { driverUris, fuzz, parsedOrRefused } from '../../../tests/src/fuzz/uriFuzz.ts';
import { parseS3Uri } from './parseS3Uri.ts';

// Fuzz target (docs/FUZZING.md): URIs of words, noise and secrets (tests/src/fuzz/uriFuzz.ts).
describe('parseS3Uri fuzz', () => {
  it('random URIs: a location or ERR_STORAGE_BAD_URI whose message holds no credential', () => {
    fc.assert(
      fc.property(
        driverUris('s3'),
        parsedOrRefused(
          (u) => parseS3Uri(new URL(u)),
          StorageError,
          'ERR_STORAGE_BAD_URI',
          HARMLESS_STORAGE_PARAMS,
        ),
      ),
      fuzz(1500),
    );
  });
});
