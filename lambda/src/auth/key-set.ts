import type { KeyObject } from "node:crypto";
import { jwkThumbprint, type RsaPublicJwk, rsaPublicJwk } from "./jwk.js";
import type { Signer } from "./signer.js";

/** One key of the set as the JWKS publishes it: its public half and its `kid`, the RFC 7638 thumbprint. */
export interface PublishedKey {
  kid: string;
  publicKey: KeyObject;
  jwk: RsaPublicJwk;
}

/**
 * The signing keys the function knows: the one that signs, and the others of the set (published before they
 * sign, and after, until the tokens they signed have expired). All of them are published and verify tokens;
 * only the signer's key signs. Fixed for a container's life: a change of the set is a new configuration.
 */
export interface KeySet {
  /** Every key, the signing one first. */
  keys(): Promise<readonly PublishedKey[]>;
  /** The public key whose `kid` this is, or undefined when the set has none. */
  find(kid: string): Promise<KeyObject | undefined>;
}

export function createKeySet(signer: Signer, otherPublicKeys: readonly KeyObject[] = []): KeySet {
  let published: Promise<Map<string, PublishedKey>> | undefined;
  const load = async () => {
    const all = [await signer.publicKey(), ...otherPublicKeys];
    const keys = new Map<string, PublishedKey>();
    for (const publicKey of all) {
      const kid = await jwkThumbprint(publicKey);
      // A key given twice is the same key: its first place (the signer's, for the signing key) counts.
      if (!keys.has(kid)) keys.set(kid, { kid, publicKey, jwk: rsaPublicJwk(publicKey) });
    }
    return keys;
  };
  const keys = () => {
    published ??= load();
    return published;
  };
  return {
    keys: async () => [...(await keys()).values()],
    // Nearly every token is the signing key's: found without working out the other keys' ids.
    find: async (kid) => (kid === (await signer.keyId()) ? signer.publicKey() : (await keys()).get(kid)?.publicKey),
  };
}
