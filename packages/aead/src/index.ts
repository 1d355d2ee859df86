/** @module @sealstream/aead — The segmented AES-256-GCM stream format: encryptStream, decryptStream, decryptRange. */
export {};
