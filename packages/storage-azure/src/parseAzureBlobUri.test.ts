import { StorageError } from '@sealstream/storage';
import { describe, expect, it } from 'vitest';
import { parseAzureBlobUri } from './parseAzureBlobUri.ts';

const parse = (uri: string) => parseAzureBlobUri(new URL(uri));
const badUri = (uri: string, message: RegExp) => {
  let caught: unknown;
  try {
    parse(uri);
  } catch (e) {
    caught = e;
  }
  expect(
    caught instanceof StorageError && caught.code === 'ERR_STORAGE_BAD_URI',
    String(caught),
  ).toBe(true);
  expect((caught as Error).message).toMatch(message);
  expect((caught as Error).message).not.toMatch(/s3cr3t|a2V5/);
};

describe('parseAzureBlobUri', () => {
  it('parses container, prefix, account key and the public endpoint', () => {
    expect(
      parse('azure-blob://backups/prod/db?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=a2V5'),
    ).toEqual({
      container: 'backups',
      prefix: 'prod/db',
      endpoint: 'https://acct.blob.core.windows.net',
      accountName: 'acct',
      auth: { kind: 'shared-key', accountName: 'acct', accountKey: 'a2V5' },
    });
  });
  it('takes client-secret credentials, sovereign clouds, aliases and the locality tag', () => {
    const loc = parse(
      'azure://c01?AUTH=specified&AZURE_ACCOUNT_NAME=acct&AZURE_CLIENT_ID=id&AZURE_CLIENT_SECRET=s3cr3t&AZURE_TENANT_ID=t&AZURE_ENVIRONMENT=AZURECHINACLOUD&COCKROACH_LOCALITY=region%3Dwest',
    );
    expect(loc.endpoint).toBe('https://acct.blob.core.chinacloudapi.cn');
    expect(loc.prefix).toBe('');
    expect(loc.auth).toEqual({
      kind: 'client-secret',
      tenantId: 't',
      clientId: 'id',
      clientSecret: 's3cr3t',
    });
  });
  it('takes an endpoint (Azurite, private endpoints), SAS tokens and implicit auth', () => {
    const az = parse(
      `azure-blob://c01/p?AZURE_ACCOUNT_NAME=devstoreaccount1&AZURE_SAS_TOKEN=${encodeURIComponent('?sv=1&sig=x')}&AZURE_BLOB_ENDPOINT=${encodeURIComponent('http://127.0.0.1:10000/devstoreaccount1/')}`,
    );
    expect(az.endpoint).toBe('http://127.0.0.1:10000/devstoreaccount1');
    expect(az.auth).toEqual({ kind: 'sas', sasToken: 'sv=1&sig=x' });
    expect(parse('azure-storage://c01?AUTH=implicit&AZURE_ACCOUNT_NAME=acct').auth).toEqual({
      kind: 'implicit',
    });
  });
  it('rejects unknown or missing parameters and bad names, without echoing secrets', () => {
    badUri(
      'azure-blob://c01?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=a2V5&FOO=1',
      /unknown parameter "FOO"/,
    );
    badUri(
      'azure-blob://c01?AZURE_ACCOUNT_KEY=a2V5',
      /missing required parameter "AZURE_ACCOUNT_NAME"/,
    );
    badUri('azure-blob://c01?AZURE_ACCOUNT_NAME=acct', /exactly one credential/);
    badUri(
      'azure-blob://c01?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=a2V5&AZURE_CLIENT_SECRET=s3cr3t',
      /exactly one credential/,
    );
    badUri(
      'azure-blob://c01?AZURE_ACCOUNT_NAME=acct&AZURE_CLIENT_ID=i&AZURE_CLIENT_SECRET=s3cr3t',
      /missing AZURE_TENANT_ID/,
    );
    badUri(
      'azure-blob://c01?AUTH=implicit&AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=a2V5',
      /AUTH=implicit takes no credential/,
    );
    badUri('azure-blob://c01?AUTH=magic&AZURE_ACCOUNT_NAME=acct', /AUTH must be/);
    badUri(
      'azure-blob://Bad_Name?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=a2V5',
      /invalid container name/,
    );
    badUri('azure-blob://c01/a//b?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=a2V5', /prefix/);
    badUri(
      'azure-blob://c01?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=a2V5&AZURE_ENVIRONMENT=MARS',
      /unknown AZURE_ENVIRONMENT/,
    );
    badUri(
      'azure-blob://c01?AZURE_ACCOUNT_NAME=acct&AZURE_ACCOUNT_KEY=a2V5&AZURE_BLOB_ENDPOINT=ftp%3A%2F%2Fx',
      /http\(s\) URL/,
    );
    badUri('s3://c01?AZURE_ACCOUNT_NAME=acct', /expected an azure-blob/);
  });
});
