import { HARMLESS_PARAMS, KmsError } from '@sealstream/kms';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { driverUris, fuzz, parsedOrRefused } from '../../../tests/src/fuzz/uriFuzz.ts';
import { parseAzureKmsUri } from './azureKmsUri.ts';

// Fuzz target (docs/FUZZING.md): URIs of words, noise and secrets (tests/src/fuzz/uriFuzz.ts).
describe('parseAzureKmsUri fuzz', () => {
  it('random URIs: a location or ERR_KMS_BAD_URI whose message holds no credential', () => {
    fc.assert(
      fc.property(
        driverUris('azure-kms'),
        parsedOrRefused(parseAzureKmsUri, KmsError, 'ERR_KMS_BAD_URI', HARMLESS_PARAMS),
      ),
      fuzz(1500),
    );
  });
});
