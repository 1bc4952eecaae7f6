/** Runtime configuration, read from the environment once per container and validated up front. */
import { createPublicKey, type KeyObject } from "node:crypto";
import { DEFAULT_METRICS_NAMESPACE } from "./metrics/emf.js";

export interface Config {
  tableName: string;
  /** The API's base URL; byte-identical to the `iss` claim and the discovery document's `issuer`. */
  issuer: string;
  audience: string;
  bcryptCost: number;
  /** What signs access tokens: a KMS key in AWS, a PEM file with an RSA private key elsewhere. */
  signingKey: SigningKeySource;
  /**
   * The public halves of the key set's other keys (OTHER_PUBLIC_KEYS): published before they sign, or after,
   * until the tokens they signed have expired. The JWKS publishes them and the token check accepts them.
   */
  otherPublicKeys: KeyObject[];
  /** Set only off AWS (dynalite, DynamoDB Local). */
  dynamodbEndpoint: string | undefined;
  /** The CloudWatch namespace of the metrics in the log lines. */
  metricsNamespace: string;
}

/**
 * In AWS, the KMS key that signs and its public half, passed in at deploy time (SIGNING_PUBLIC_KEY) so that
 * publishing and checking tokens never waits on KMS; elsewhere, a PEM file with the private key.
 */
export type SigningKeySource = { kind: "kms"; keyId: string; publicKey: KeyObject } | { kind: "file"; path: string };

/** A missing or malformed variable; the message names it so a failed cold start is self-explaining. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

export const BCRYPT_COST_RANGE = { min: 10, max: 14, default: 10 } as const;

export function loadConfig(env: Env): Config {
  return {
    tableName: readTableName(env),
    issuer: readIssuer(env),
    audience: required(env, "AUDIENCE"),
    bcryptCost: readBcryptCost(env),
    ...readSigningKeys(env),
    dynamodbEndpoint: optionalUrl(env, "DYNAMODB_ENDPOINT"),
    metricsNamespace: readMetricsNamespace(env),
  };
}

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(name, "is required");
  return value;
}

function readTableName(env: Env): string {
  const name = required(env, "TABLE_NAME");
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
    throw new ConfigError("TABLE_NAME", "must be 3-255 characters of A-Z a-z 0-9 _ . -");
  }
  return name;
}

function readIssuer(env: Env): string {
  const issuer = required(env, "ISSUER");
  const url = parseUrl(issuer);
  const local = url !== undefined && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  // The JWT authorizer fetches `${issuer}/.well-known/openid-configuration`, so the issuer must be a bare origin-style URL.
  if (
    url === undefined ||
    !(url.protocol === "https:" || (local && url.protocol === "http:")) ||
    url.search !== "" ||
    url.hash !== "" ||
    issuer.endsWith("/")
  ) {
    throw new ConfigError("ISSUER", "must be an https URL (http only on localhost) without a trailing slash, query or fragment");
  }
  return issuer;
}

// A key ARN, a key id (also multi-Region `mrk-`), an alias name or an alias ARN: what KMS accepts as KeyId.
const KMS_KEY_ID =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]+)$/;

/** The key that signs and the other keys of the set, none of them twice (which could only be a wiring mistake). */
function readSigningKeys(env: Env): Pick<Config, "signingKey" | "otherPublicKeys"> {
  const signingKey = readSigningKey(env);
  const otherPublicKeys = readOtherPublicKeys(env);
  const seen = signingKey.kind === "kms" ? [signingKey.publicKey] : [];
  for (const key of otherPublicKeys) {
    if (seen.some((earlier) => earlier.equals(key))) {
      throw new ConfigError("OTHER_PUBLIC_KEYS", "lists a key twice, or the signing key itself: it holds only the keys that do not sign");
    }
    seen.push(key);
  }
  return { signingKey, otherPublicKeys };
}

/** Exactly one signing key: KMS_KEY_ID in AWS, SIGNING_KEY_FILE locally; both would leave it unclear which one signs. */
function readSigningKey(env: Env): SigningKeySource {
  const keyId = env.KMS_KEY_ID?.trim();
  const path = env.SIGNING_KEY_FILE?.trim();
  if (keyId && path) throw new ConfigError("KMS_KEY_ID", "and SIGNING_KEY_FILE are both set; set exactly one");
  if (path) {
    // The key file holds both halves; a second public key could only disagree with it.
    if (env.SIGNING_PUBLIC_KEY?.trim())
      throw new ConfigError("SIGNING_PUBLIC_KEY", "is only for KMS_KEY_ID; the key file has its own public key");
    return { kind: "file", path };
  }
  if (!keyId) throw new ConfigError("KMS_KEY_ID", "or SIGNING_KEY_FILE is required (KMS_KEY_ID in AWS, SIGNING_KEY_FILE elsewhere)");
  if (!KMS_KEY_ID.test(keyId)) throw new ConfigError("KMS_KEY_ID", "must be a KMS key ARN, key id, alias name or alias ARN");
  return { kind: "kms", keyId, publicKey: readPublicKey(env, "SIGNING_PUBLIC_KEY") };
}

const PUBLIC_KEY_PEM = /^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/;

/**
 * An RSA public key of at least 2048 bits as PEM (SPKI, "BEGIN PUBLIC KEY"), the form Terraform's
 * aws_kms_public_key gives. Anything else, a private key above all, is refused rather than used.
 */
function readPublicKey(env: Env, name: string): KeyObject {
  const pem = required(env, name);
  const key = PUBLIC_KEY_PEM.test(pem) ? rsaPublicKey(pem) : undefined;
  if (!key) throw new ConfigError(name, "must be the PEM (SPKI, BEGIN PUBLIC KEY) public half of the RSA signing key, 2048 bits or more");
  return key;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Comma-separated, each the base64 of the DER SPKI public key (what KMS GetPublicKey and Terraform's
 * aws_kms_public_key `public_key` give): without PEM armour and line breaks, each 2048-bit key takes 392
 * bytes of the 4 KB Lambda allows all environment variables together.
 */
function readOtherPublicKeys(env: Env): KeyObject[] {
  const value = env.OTHER_PUBLIC_KEYS?.trim();
  if (!value) return [];
  return value.split(",").map((item) => {
    const key = BASE64.test(item) ? rsaPublicKey(Buffer.from(item, "base64")) : undefined;
    if (!key) {
      throw new ConfigError(
        "OTHER_PUBLIC_KEYS",
        "must be comma-separated base64 DER (SPKI) public halves of RSA keys of 2048 bits or more",
      );
    }
    return key;
  });
}

/** An RSA public key of at least 2048 bits from PEM or DER SPKI, or undefined for anything else (a private key above all). */
function rsaPublicKey(source: string | Buffer): KeyObject | undefined {
  try {
    const key = typeof source === "string" ? createPublicKey(source) : createPublicKey({ key: source, format: "der", type: "spki" });
    return key.asymmetricKeyType === "rsa" && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048 ? key : undefined;
  } catch {
    return undefined;
  }
}

function readBcryptCost(env: Env): number {
  const raw = env.BCRYPT_COST?.trim();
  if (!raw) return BCRYPT_COST_RANGE.default;
  const cost = Number(raw);
  if (!Number.isInteger(cost) || cost < BCRYPT_COST_RANGE.min || cost > BCRYPT_COST_RANGE.max) {
    throw new ConfigError("BCRYPT_COST", `must be an integer from ${BCRYPT_COST_RANGE.min} to ${BCRYPT_COST_RANGE.max}`);
  }
  return cost;
}

/**
 * What CloudWatch accepts as a custom namespace: 1 to 255 of A-Z a-z 0-9 . - _ / # : and space, not starting
 * with a colon or a space, and never AWS/ (AWS's own).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Namespace
 */
function readMetricsNamespace(env: Env): string {
  const namespace = env.METRICS_NAMESPACE?.trim() || DEFAULT_METRICS_NAMESPACE;
  if (!/^[A-Za-z0-9._/#-][A-Za-z0-9._/#: -]{0,254}$/.test(namespace) || /^aws\//i.test(namespace)) {
    throw new ConfigError("METRICS_NAMESPACE", "must be 1-255 characters of A-Z a-z 0-9 . - _ / # : and space, not starting with AWS/");
  }
  return namespace;
}

function optionalUrl(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  const protocol = parseUrl(value)?.protocol;
  if (protocol !== "http:" && protocol !== "https:") throw new ConfigError(name, "must be an http or https URL");
  return value;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
