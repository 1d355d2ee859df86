/** @module @sealstream/storage — The Storage interface, storage URI registry, and the shared conformance suite every driver runs. */
export {};
