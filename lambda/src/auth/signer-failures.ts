import type { Signer } from "./signer.js";

const failures = new WeakSet<object>();

/**
 * The signer, with every failure of `sign` remembered (the error itself is thrown on unchanged), so that
 * where a request's outcome is known a signer outage can be told from a table outage: both are SDK errors
 * that may carry the same name (ThrottlingException). A signer is a plain object of functions, so the
 * spread keeps every other member as it is.
 */
export function withNotedFailures(signer: Signer): Signer {
  return {
    ...signer,
    sign: (data) =>
      signer.sign(data).catch((error: unknown) => {
        if (typeof error === "object" && error !== null) failures.add(error);
        throw error;
      }),
  };
}

/** Whether `error` came out of a signer's `sign`. */
export function isSignerFailure(error: unknown): boolean {
  return typeof error === "object" && error !== null && failures.has(error);
}
