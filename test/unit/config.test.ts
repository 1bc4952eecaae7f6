import { expect } from "chai";
import { ConfigError, loadConfig } from "../../lambda/src/config.js";

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
      dynamodbEndpoint: undefined,
    });
    expect(loadConfig({ ...valid, ISSUER: "http://127.0.0.1:3000", BCRYPT_COST: "14" })).to.include({ bcryptCost: 14 });
  });

  describe("takes the KMS key instead of a key file when KMS_KEY_ID is set (in AWS)", () => {
    const inAws = { ...valid, SIGNING_KEY_FILE: undefined };
    for (const [form, keyId] of [
      ["a key ARN", "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"],
      ["a key id", "11111111-2222-3333-4444-555555555555"],
      ["a multi-Region key id", "mrk-0123456789abcdef0123456789abcdef"],
      ["an alias name", "alias/auth-api-signing"],
      ["an alias ARN in another partition", "arn:aws-cn:kms:cn-north-1:123456789012:alias/auth-api-signing"],
    ] as const) {
      it(`${form}: ${keyId}`, () => {
        expect(loadConfig({ ...inAws, KMS_KEY_ID: keyId }).signingKey).to.deep.equal({ kind: "kms", keyId });
      });
    }
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
  ];
  for (const [variable, env] of bad) {
    it(`names ${variable} when it is missing or malformed (${JSON.stringify(env[variable])})`, () => {
      const error = failure(env);
      expect(error.variable).to.equal(variable);
      expect(error.message).to.match(new RegExp(`^${variable} `));
    });
  }
});
