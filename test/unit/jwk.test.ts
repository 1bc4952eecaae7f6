import { generateKeyPairSync } from "node:crypto";
import { expect } from "chai";
import { calculateJwkThumbprint } from "jose";
import { jwkThumbprint } from "../../lambda/src/auth/jwk.js";

describe("JWK thumbprints (RFC 7638)", () => {
  for (const bits of [2048, 3072]) {
    it(`match jose's for an RSA ${bits}-bit key`, async () => {
      const { publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
      const { n, e } = publicKey.export({ format: "jwk" });
      expect(await jwkThumbprint(publicKey)).to.equal(await calculateJwkThumbprint({ kty: "RSA", n: n!, e: e! }, "sha256"));
    });
  }
});
