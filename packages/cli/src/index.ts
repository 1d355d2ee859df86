/** @module @sealstream/cli — The sealstream command. */
export {};
