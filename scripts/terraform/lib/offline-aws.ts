/**
 * A stand-in for the two AWS reads an offline plan makes, on 127.0.0.1: STS GetCallerIdentity (the
 * `data "aws_caller_identity"` of the bootstrap and of modules/monitoring) and KMS GetPublicKey (the signing key's public half, read at plan
 * time once the key exists in the state, as the plan-review fixtures' seeded states have it). The offline
 * provider override points the provider's `sts` and `kms` endpoints here; any other call is refused with an
 * error naming it, so a configuration that starts reading more from AWS fails its offline plan loudly.
 */
import { createPublicKey } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** The account every offline plan runs in (the plan-review fixtures' seeded state uses the same one). */
export const OFFLINE_ACCOUNT = "123456789012";

/**
 * The public key offline plans read for every KMS key: fixed, so that re-planning gives the same plan.
 * Only its public half exists; nothing can sign with it.
 */
export const OFFLINE_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAybP+tI7kOB/enTANh/eT
7H3xtg51RuHjbV2xcEXqGJ4C2WKbftKrZt+wVU0RqnJGDL4/eSzRRR5XtDkrTUFI
+R1u8iLEZramrWZdelLZqf7e/c/FP8cWlAKgqWn7EC8wl4Wfty+Pk5s9CN6vJxfJ
/ZmyB+3xxR3s236Pc2EFwD27+e/CGuYUfSTqy9FkSd4MgvWkVGV5hw6XahcrnT0M
4grUuQ5704i0ic78yTg0OZe75w3dWr9JGW28Y2pk15Ksmk38gN1jpEW10tBjwz+S
+vwf2/57g518qEoY7bTKtg57/DaWN6nDXIOV303knjMlDvvHRpDXXm9kv+miEVGs
JQIDAQAB
-----END PUBLIC KEY-----
`;

export interface OfflineAws {
  /** http://127.0.0.1:<port>, for the provider's `endpoints` block. */
  url: string;
  stop(): Promise<void>;
}

const publicKeyDer = createPublicKey(OFFLINE_PUBLIC_KEY_PEM).export({ type: "spki", format: "der" }).toString("base64");

/** What KMS answers for an RSA_2048 SIGN_VERIFY key (API_GetPublicKey, JSON 1.1 protocol). */
function getPublicKey(input: { KeyId?: string }) {
  const keyId = input.KeyId ?? "";
  const arn = keyId.startsWith("arn:") ? keyId : `arn:aws:kms:eu-west-1:${OFFLINE_ACCOUNT}:key/${keyId}`;
  return {
    KeyId: arn,
    PublicKey: publicKeyDer,
    CustomerMasterKeySpec: "RSA_2048",
    KeySpec: "RSA_2048",
    KeyUsage: "SIGN_VERIFY",
    SigningAlgorithms: ["RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PSS_SHA_256"],
  };
}

/** STS GetCallerIdentity (query protocol, XML). */
const CALLER_IDENTITY = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::${OFFLINE_ACCOUNT}:user/offline-plan</Arn>
    <UserId>AIDAOFFLINEPLAN000000</UserId>
    <Account>${OFFLINE_ACCOUNT}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>
`;

async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let body = "";
  for await (const chunk of request) body += chunk;
  const target = String(request.headers["x-amz-target"] ?? "");
  if (target === "TrentService.GetPublicKey") {
    response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
    response.end(JSON.stringify(getPublicKey(JSON.parse(body || "{}"))));
    return;
  }
  if (new URLSearchParams(body).get("Action") === "GetCallerIdentity") {
    response.writeHead(200, { "content-type": "text/xml" });
    response.end(CALLER_IDENTITY);
    return;
  }
  const call = target || new URLSearchParams(body).get("Action") || `${request.method} ${request.url}`;
  response.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
  response.end(JSON.stringify({ __type: "UnsupportedOperation", message: `offline plan: no stand-in for ${call}` }));
}

export async function startOfflineAws(): Promise<OfflineAws> {
  const server = createServer((request, response) => {
    answer(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
