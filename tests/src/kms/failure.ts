/** A typed KMS failure as the tests inspect it. */
export interface KmsFailure {
  code: string;
  message: string;
}

/** `.then(unexpected, caught)`: resolves to the error, and fails the test if the call succeeded. */
export const unexpected = (): never => {
  throw new Error('expected the call to fail, but it succeeded');
};
export const caught = (x: unknown): KmsFailure => x as KmsFailure;
