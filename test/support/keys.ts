import { generateRsaPrivateKeyPem } from "../../lambda/src/auth/local-signer.js";

/** One RSA key per test run: generating 2048-bit keys is the slow part of token tests. */
export const TEST_PRIVATE_KEY_PEM = generateRsaPrivateKeyPem();
