import { HARMLESS_PARAMS, KmsError } from '@sealstream/kms';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { driverUris, fuzz, parsedOrRefused } from '../../../tests/src/fuzz/uriFuzz.ts';
import { parseGcpKmsUri } from './gcpKmsUri.ts';

// Fuzz target (docs/FUZZING.md): URIs of words, noise and secrets (tests/src/fuzz/uriFuzz.ts).
describe('parseGcpKmsUri fuzz', () => {
  it('random URIs: a location or ERR_KMS_BAD_URI whose message holds no credential', () => {
    fc.assert(
      fc.property(
        driverUris('gs'),
        parsedOrRefused(parseGcpKmsUri, KmsError, 'ERR_KMS_BAD_URI', HARMLESS_PARAMS),
      ),
      fuzz(1500),
    );
  });
});
