import { loadLocalSigner } from "./auth/local-signer.js";
import { composeServices } from "./compose.js";
import { ConfigError, loadConfig } from "./config.js";
import { createDynamoDbClient } from "./data/dynamodb-client.js";
import { createLogger } from "./log.js";
import { createRouter } from "./router.js";
import { routes } from "./routes.js";

const logger = createLogger();

async function coldStart() {
  try {
    const config = loadConfig(process.env);
    return composeServices({
      client: createDynamoDbClient(config.dynamodbEndpoint === undefined ? {} : { endpoint: config.dynamodbEndpoint }),
      tableName: config.tableName,
      issuer: config.issuer,
      audience: config.audience,
      bcryptCost: config.bcryptCost,
      signer: await loadLocalSigner(config.signingKeyFile).catch(() => {
        throw new ConfigError("SIGNING_KEY_FILE", "must name a readable PEM file with an RSA private key of at least 2048 bits");
      }),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error("invalid configuration", { variable: error.variable, reason: error.message });
    }
    throw error;
  }
}

/** The Lambda entry point: configuration and clients are set up once per container, at cold start. */
export const handler = createRouter(routes, await coldStart(), logger);
