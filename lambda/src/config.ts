/** Runtime configuration, read from the environment once per container and validated up front. */

export interface Config {
  tableName: string;
  /** The API's base URL; byte-identical to the `iss` claim and the discovery document's `issuer`. */
  issuer: string;
  audience: string;
  bcryptCost: number;
  /** PEM file with the RSA private key that signs access tokens. */
  signingKeyFile: string;
  /** Set only off AWS (dynalite, DynamoDB Local). */
  dynamodbEndpoint: string | undefined;
}

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
    signingKeyFile: required(env, "SIGNING_KEY_FILE"),
    dynamodbEndpoint: optionalUrl(env, "DYNAMODB_ENDPOINT"),
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

function readBcryptCost(env: Env): number {
  const raw = env.BCRYPT_COST?.trim();
  if (!raw) return BCRYPT_COST_RANGE.default;
  const cost = Number(raw);
  if (!Number.isInteger(cost) || cost < BCRYPT_COST_RANGE.min || cost > BCRYPT_COST_RANGE.max) {
    throw new ConfigError("BCRYPT_COST", `must be an integer from ${BCRYPT_COST_RANGE.min} to ${BCRYPT_COST_RANGE.max}`);
  }
  return cost;
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
