/**
 * The key set's work on a cold start, timed alone in a fresh process: reading the configuration (the
 * other keys' public halves from OTHER_PUBLIC_KEYS), the signing key's id (what a login or a refresh signs
 * with), the check of a token of the signing key (GET /me) and every key's id and JWK (the JWKS). Run once
 * with the key set of four keys and once with one, the runner pairs them: the difference is what the key
 * set costs a cold start, to a resolution a whole cold start cannot give.
 *
 * Built by the runner into build/bench/key-set/key-set-cost.mjs with the function's build settings; run
 * in a child with the function's environment. Prints one JSON line: { ms, cpuMs, keys }.
 */

import { createKeySet } from "../../lambda/src/auth/key-set.js";
import { loadLocalSigner } from "../../lambda/src/auth/local-signer.js";
import { loadConfig } from "../../lambda/src/config.js";

const started = performance.now();
const cpu = process.cpuUsage();
const config = loadConfig(process.env);
if (config.signingKey.kind !== "file") throw new Error("the key set's cost is timed with a key file");
const signer = await loadLocalSigner(config.signingKey.path);
const keySet = createKeySet(signer, config.otherPublicKeys);
const kid = await signer.keyId();
if ((await keySet.find(kid)) === undefined) throw new Error("the signing key is not in its set");
const keys = await keySet.keys();
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, cpuMs: (user + system) / 1000, keys: keys.length })}\n`);
