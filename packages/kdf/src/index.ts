/** @module @sealstream/kdf — Passphrase to key: Argon2id (hash-wasm) and PBKDF2-SHA256, with self-describing bounded parameters. */
export {};
