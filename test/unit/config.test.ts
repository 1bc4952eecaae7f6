import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { expect } from "chai";
import { ConfigError, loadConfig } from "../../lambda/src/config.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";

const PUBLIC_KEY_PEM = createPublicKey(TEST_PRIVATE_KEY_PEM).export({ type: "spki", format: "pem" }) as string;
const pem = (key: KeyObject) => key.export({ type: "spki", format: "pem" }) as string;
const der = (key: KeyObject) => key.export({ type: "spki", format: "der" }).toString("base64");

const valid = {
  TABLE_NAME: "auth-users",
  ISSUER: "https://abc123.execute-api.eu-west-1.amazonaws.com",
  AUDIENCE: "auth-api",
  SIGNING_KEY_FILE: "/tmp/key.pem",
};

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  return expect.fail("configuration accepted");
}

describe("configuration", () => {
  it("reads a valid environment, with defaults", () => {
    expect(loadConfig(valid)).to.deep.equal({
      tableName: "auth-users",
      issuer: valid.ISSUER,
      audience: "auth-api",
      bcryptCost: 10,
      signingKey: { kind: "file", path: "/tmp/key.pem" },
      otherPublicKeys: [],
      dynamodbEndpoint: undefined,
      metricsNamespace: "auth-api",
    });
    expect(loadConfig({ ...valid, ISSUER: "http://127.0.0.1:3000", BCRYPT_COST: "14" })).to.include({ bcryptCost: 14 });
    expect(loadConfig({ ...valid, METRICS_NAMESPACE: "team/auth-api #2" })).to.include({ metricsNamespace: "team/auth-api #2" });
  });

  describe("takes the KMS key and its public half instead of a key file when KMS_KEY_ID is set (in AWS)", () => {
    const inAws = { ...valid, SIGNING_KEY_FILE: undefined, SIGNING_PUBLIC_KEY: PUBLIC_KEY_PEM };
    for (const [form, keyId] of [
      ["a key ARN", "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"],
      ["a key id", "11111111-2222-3333-4444-555555555555"],
      ["a multi-Region key id", "mrk-0123456789abcdef0123456789abcdef"],
      ["an alias name", "alias/auth-api-signing"],
      ["an alias ARN in another partition", "arn:aws-cn:kms:cn-north-1:123456789012:alias/auth-api-signing"],
    ] as const) {
      it(`${form}: ${keyId}`, () => {
        const signingKey = loadConfig({ ...inAws, KMS_KEY_ID: keyId }).signingKey;
        expect(signingKey).to.include({ kind: "kms", keyId });
        expect(signingKey.kind === "kms" && signingKey.publicKey.equals(createPublicKey(TEST_PRIVATE_KEY_PEM))).to.equal(true);
      });
    }
  });

  const kms = { ...valid, SIGNING_KEY_FILE: undefined, KMS_KEY_ID: "alias/auth-api-signing" };
  const badPublicKeys: [string, string | undefined][] = [
    ["missing", undefined],
    ["not PEM", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"],
    ["the private key", TEST_PRIVATE_KEY_PEM],
    ["an RSA key of 1024 bits", pem(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey)],
    ["an elliptic-curve key", pem(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey)],
    ["a PEM with a broken body", PUBLIC_KEY_PEM.replace(/\n[A-Za-z0-9+/]{8}/, "\n########")],
  ];
  for (const [what, value] of badPublicKeys) {
    it(`names SIGNING_PUBLIC_KEY with KMS_KEY_ID when it is ${what}`, () => {
      const error = failure({ ...kms, SIGNING_PUBLIC_KEY: value });
      expect(error.variable).to.equal("SIGNING_PUBLIC_KEY");
      if (value) expect(error.message).not.to.include(value.slice(30, 60));
    });
  }

  it("names SIGNING_PUBLIC_KEY when it is set next to a key file, which has its own public key", () => {
    expect(failure({ ...valid, SIGNING_PUBLIC_KEY: PUBLIC_KEY_PEM }).variable).to.equal("SIGNING_PUBLIC_KEY");
  });

  describe("takes the key set's other keys from OTHER_PUBLIC_KEYS: comma-separated base64 DER, with a key file or KMS", () => {
    const others = [1, 2].map(() => generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey);
    const value = others.map(der).join(",");
    for (const [where, env] of [
      ["next to a key file", valid],
      ["next to a KMS key", { ...kms, SIGNING_PUBLIC_KEY: PUBLIC_KEY_PEM }],
    ] as const) {
      it(where, () => {
        const { otherPublicKeys } = loadConfig({ ...env, OTHER_PUBLIC_KEYS: value });
        expect(otherPublicKeys.map((key, index) => key.equals(others[index]!))).to.deep.equal([true, true]);
      });
    }
    it("none when it is empty", () => {
      expect(loadConfig({ ...valid, OTHER_PUBLIC_KEYS: " " }).otherPublicKeys).to.deep.equal([]);
    });

    const badOthers: [string, string][] = [
      ["PEM instead of DER", pem(others[0]!)],
      ["a key of 1024 bits", der(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey)],
      ["an elliptic-curve key", der(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey)],
      ["a private key", createPrivateKey(TEST_PRIVATE_KEY_PEM).export({ type: "pkcs8", format: "der" }).toString("base64")],
      ["an empty item", `${der(others[0]!)},`],
      ["a key listed twice", `${der(others[0]!)},${der(others[0]!)}`],
      ["not base64", "not base64!"],
    ];
    for (const [what, bad] of badOthers) {
      it(`names OTHER_PUBLIC_KEYS when it holds ${what}`, () => {
        expect(failure({ ...valid, OTHER_PUBLIC_KEYS: bad }).variable).to.equal("OTHER_PUBLIC_KEYS");
      });
    }
    it("names OTHER_PUBLIC_KEYS when it holds the KMS key's own public half, which is the signing key", () => {
      const env = { ...kms, SIGNING_PUBLIC_KEY: PUBLIC_KEY_PEM, OTHER_PUBLIC_KEYS: der(createPublicKey(TEST_PRIVATE_KEY_PEM)) };
      expect(failure(env).variable).to.equal("OTHER_PUBLIC_KEYS");
    });
  });

  const bad: [string, Record<string, string | undefined>][] = [
    ["TABLE_NAME", { ...valid, TABLE_NAME: undefined }],
    ["TABLE_NAME", { ...valid, TABLE_NAME: "a b" }],
    ["ISSUER", { ...valid, ISSUER: "" }],
    ["ISSUER", { ...valid, ISSUER: "http://example.com" }],
    ["ISSUER", { ...valid, ISSUER: "https://example.com/" }],
    ["ISSUER", { ...valid, ISSUER: "https://example.com?x=1" }],
    ["ISSUER", { ...valid, ISSUER: "not a url" }],
    ["AUDIENCE", { ...valid, AUDIENCE: " " }],
    ["BCRYPT_COST", { ...valid, BCRYPT_COST: "9" }],
    ["BCRYPT_COST", { ...valid, BCRYPT_COST: "15" }],
    ["BCRYPT_COST", { ...valid, BCRYPT_COST: "10.5" }],
    ["KMS_KEY_ID", { ...valid, SIGNING_KEY_FILE: undefined }],
    ["KMS_KEY_ID", { ...valid, SIGNING_KEY_FILE: " ", KMS_KEY_ID: "" }],
    ["KMS_KEY_ID", { ...valid, KMS_KEY_ID: "alias/auth-api-signing" }],
    ["KMS_KEY_ID", { ...valid, SIGNING_KEY_FILE: undefined, KMS_KEY_ID: "not a key" }],
    ["KMS_KEY_ID", { ...valid, SIGNING_KEY_FILE: undefined, KMS_KEY_ID: "arn:aws:kms:eu-west-1:123:key/x" }],
    ["DYNAMODB_ENDPOINT", { ...valid, DYNAMODB_ENDPOINT: "localhost:8000" }],
    ["METRICS_NAMESPACE", { ...valid, METRICS_NAMESPACE: "AWS/Lambda" }],
    ["METRICS_NAMESPACE", { ...valid, METRICS_NAMESPACE: ":auth-api" }],
    ["METRICS_NAMESPACE", { ...valid, METRICS_NAMESPACE: "auth\napi" }],
    ["METRICS_NAMESPACE", { ...valid, METRICS_NAMESPACE: "a".repeat(256) }],
  ];
  for (const [variable, env] of bad) {
    it(`names ${variable} when it is missing or malformed (${JSON.stringify(env[variable])})`, () => {
      const error = failure(env);
      expect(error.variable).to.equal(variable);
      expect(error.message).to.match(new RegExp(`^${variable} `));
    });
  }
});
