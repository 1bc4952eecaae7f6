import { loadLocalSigner } from "./auth/local-signer.js";
import type { Signer } from "./auth/signer.js";
import { composeServices } from "./compose.js";
import { ConfigError, loadConfig, type SigningKeySource } from "./config.js";
import { createDynamoDbClient } from "./data/dynamodb-client.js";
import { createLogger } from "./log.js";
import { createRouter } from "./router.js";
import { routes } from "./routes.js";

const logger = createLogger();

/**
 * The KMS key in AWS (with its public half from SIGNING_PUBLIC_KEY, so KMS is called only to sign), the key
 * file elsewhere. The KMS signer and its SDK client are imported only when configured: the bundle keeps them
 * in a chunk of their own, so a container signing with a key file never loads them.
 */
async function createSigner(source: SigningKeySource): Promise<Signer> {
  if (source.kind === "kms") {
    const { createKmsClient, createKmsSigner } = await import("./auth/kms-signer.js");
    return createKmsSigner(createKmsClient(), source.keyId, source.publicKey);
  }
  return loadLocalSigner(source.path).catch(() => {
    throw new ConfigError("SIGNING_KEY_FILE", "must name a readable PEM file with an RSA private key of at least 2048 bits");
  });
}

async function coldStart() {
  try {
    const config = loadConfig(process.env);
    const services = composeServices({
      client: createDynamoDbClient(config.dynamodbEndpoint === undefined ? {} : { endpoint: config.dynamodbEndpoint }),
      tableName: config.tableName,
      issuer: config.issuer,
      audience: config.audience,
      bcryptCost: config.bcryptCost,
      signer: await createSigner(config.signingKey),
      otherPublicKeys: config.otherPublicKeys,
    });
    return { services, metricsNamespace: config.metricsNamespace };
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error("invalid configuration", { variable: error.variable, reason: error.message });
    }
    throw error;
  }
}

const { services, metricsNamespace } = await coldStart();

/** The Lambda entry point: configuration and clients are set up once per container, at cold start. */
export const handler = createRouter(routes, services, logger, { metricsNamespace });
