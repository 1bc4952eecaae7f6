import { generateRsaPrivateKeyPem } from "../../scripts/lib/rsa-key.js";

/** One RSA key per test run: generating 2048-bit keys is the slow part of token tests. */
export const TEST_PRIVATE_KEY_PEM = generateRsaPrivateKeyPem();
