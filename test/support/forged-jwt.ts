/** JWTs made by hand, to send what the issuer never would: other algorithms, keys, headers and claims. */
import { createHmac, createPrivateKey, createPublicKey, sign } from "node:crypto";
import { TEST_PRIVATE_KEY_PEM } from "./keys.js";

/** A header or a claims set. */
export type JwtPart = Record<string, unknown>;

function encodePart(part: JwtPart): string {
  return Buffer.from(JSON.stringify(part)).toString("base64url");
}

/** The header and payload as JSON; what a test reads from them is its own business, hence `any`. */
export function decodeParts(token: string): { header: Record<string, any>; payload: Record<string, any> } {
  const [header, payload] = token
    .split(".")
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
  return { header: header!, payload: payload! };
}

function signRs256(header: JwtPart, claims: JwtPart, privateKeyPem = TEST_PRIVATE_KEY_PEM): string {
  const input = `${encodePart(header)}.${encodePart(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), createPrivateKey(privateKeyPem)).toString("base64url")}`;
}

/** The token with another payload and its original signature, which no longer matches. */
export function replacePayload(token: string, payload: JwtPart): string {
  const [header, , signature] = token.split(".");
  return `${header}.${encodePart(payload)}.${signature}`;
}

/**
 * Forges RS256 tokens from the header the issuer writes and a set of valid claims. Overrides replace a claim
 * or a header field; an override of `undefined` leaves it out.
 */
export function jwtForger({ kid, claims, privateKeyPem = TEST_PRIVATE_KEY_PEM }: { kid: string; claims: JwtPart; privateKeyPem?: string }) {
  const header = { alg: "RS256", typ: "JWT", kid };
  return {
    signed: (claimOverrides: JwtPart = {}, headerOverrides: JwtPart = {}, signingKeyPem = privateKeyPem) =>
      signRs256({ ...header, ...headerOverrides }, { ...claims, ...claimOverrides }, signingKeyPem),
    /** alg "none" and an empty signature. */
    unsigned: (headerOverrides: JwtPart = {}) => `${encodePart({ ...header, alg: "none", ...headerOverrides })}.${encodePart(claims)}.`,
    /** The algorithm-confusion attack: HS256 with the public key, which anyone can fetch, as the secret. */
    hs256WithPublicKey: () => {
      const publicPem = createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" });
      const input = `${encodePart({ ...header, alg: "HS256" })}.${encodePart(claims)}`;
      return `${input}.${createHmac("sha256", publicPem).update(input).digest("base64url")}`;
    },
  };
}

export type JwtForger = ReturnType<typeof jwtForger>;
