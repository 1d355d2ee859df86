/**
 * The domain-separation labels of collection format v2, each the `info` of one HKDF-SHA256
 * derivation from a chain's root key (docs/COLLECTION-FORMAT-V2.md §1). Every key serves one
 * purpose; this list is part of the format: changing a label changes every key derived with it.
 */
export const V2_LABELS = {
  /** The chain id: 16 bytes committed to the root key. */
  chainId: 'sealstream/v2/chain-id',
  /** HMAC-SHA256 key of chunk ids. */
  chunkId: 'sealstream/v2/chunk-id',
  /** HMAC-SHA256 key of tree ids. */
  treeId: 'sealstream/v2/tree-id',
  /** Key of the content-defined chunker (its gear table: docs/CHUNKING.md). */
  chunker: 'sealstream/v2/chunker',
  /** Stream-format key of data blobs (compressed chunks). */
  data: 'sealstream/v2/data',
  /** Stream-format key of metadata: tree blobs, pack indexes, snapshots. */
  meta: 'sealstream/v2/meta',
  /** HMAC-SHA256 key authenticating ENCRYPTION_INFO generations. */
  auth: 'sealstream/v2/auth',
} as const;

/** The prefix of every v2 associated-data string (docs/COLLECTION-FORMAT-V2.md §2). */
export const V2_AD_PREFIX = 'sealstream/v2/ad';
