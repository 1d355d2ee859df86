/** @module @sealstream/backup — Backup collections: full and incremental backups, restore, show, list, verify, alter. */
export {};
