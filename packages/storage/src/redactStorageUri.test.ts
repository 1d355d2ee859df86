import { describe, expect, it } from 'vitest';
import { redactStorageUri, SECRET_STORAGE_PARAMS } from './redactStorageUri.ts';

describe('redactStorageUri', () => {
  it('redacts every secret parameter and keeps the others', () => {
    const uri =
      's3://bucket/prefix?AWS_ACCESS_KEY_ID=AKIAEXAMPLE&AWS_SECRET_ACCESS_KEY=wJalr%2FXUtnFEMI&AWS_SESSION_TOKEN=tok&AWS_REGION=us-east-1&COCKROACH_LOCALITY=region%3Dwest';
    expect(redactStorageUri(uri)).toBe(
      's3://bucket/prefix?AWS_ACCESS_KEY_ID=redacted&AWS_SECRET_ACCESS_KEY=redacted&AWS_SESSION_TOKEN=redacted&AWS_REGION=us-east-1&COCKROACH_LOCALITY=region%3Dwest',
    );
  });
  it('covers the Azure and GCS secrets', () => {
    const out = redactStorageUri(
      'azure-blob://c/p?AUTH=specified&AZURE_ACCOUNT_NAME=acct&AZURE_CLIENT_SECRET=cs&AZURE_ACCOUNT_KEY=ak%3D%3D&AZURE_CLIENT_ID=id',
    );
    expect(out).toBe(
      'azure-blob://c/p?AUTH=specified&AZURE_ACCOUNT_NAME=acct&AZURE_CLIENT_SECRET=redacted&AZURE_ACCOUNT_KEY=redacted&AZURE_CLIENT_ID=id',
    );
    expect(redactStorageUri('gs://b/p?AUTH=specified&CREDENTIALS=eyJzZWNyZXQiOiJ4In0=')).toBe(
      'gs://b/p?AUTH=specified&CREDENTIALS=redacted',
    );
  });
  it('matches names case-insensitively and percent-encoded, keeps the fragment', () => {
    expect(redactStorageUri('s3://b?aws_secret_access_key=x#frag')).toBe(
      's3://b?aws_secret_access_key=redacted#frag',
    );
    expect(redactStorageUri('s3://b?AWS%5FSECRET%5FACCESS%5FKEY=x')).toBe(
      's3://b?AWS%5FSECRET%5FACCESS%5FKEY=redacted',
    );
  });
  it('redacts a secret given without a value or twice', () => {
    expect(redactStorageUri('s3://b?CREDENTIALS&CREDENTIALS=a&CREDENTIALS=b')).toBe(
      's3://b?CREDENTIALS=redacted&CREDENTIALS=redacted&CREDENTIALS=redacted',
    );
  });
  it('redacts user:password@ in the authority', () => {
    expect(redactStorageUri('s3://AKIA:secret@bucket/p')).toBe('s3://AKIA:redacted@bucket/p');
    expect(redactStorageUri('s3://token@bucket/p')).toBe('s3://redacted@bucket/p');
  });
  it('leaves plain paths and URIs without secrets unchanged', () => {
    for (const u of [
      '/var/backups',
      'relative/dir',
      'file:///var/backups',
      's3://b/p?AWS_REGION=x',
      'C:\\backups',
    ]) {
      expect(redactStorageUri(u)).toBe(u);
    }
  });
  it('never leaks any listed secret value', () => {
    for (const p of SECRET_STORAGE_PARAMS) {
      expect(redactStorageUri(`s3://b/p?X=1&${p}=sup3rs3cret&Y=2`)).not.toContain('sup3rs3cret');
    }
  });
});
