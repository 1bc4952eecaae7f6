/**
 * A stand-in for the two AWS reads an offline plan makes, on 127.0.0.1: STS GetCallerIdentity (the
 * `data "aws_caller_identity"` of the bootstrap and of modules/monitoring) and KMS GetPublicKey (the signing key's public half, read at plan
 * time once the key exists in the state, as the plan-review fixtures' seeded states have it). The offline
 * provider override points the provider's `sts` and `kms` endpoints here; any other call is refused with an
 * error naming it, so a configuration that starts reading more from AWS fails its offline plan loudly.
 */
import { createHash, createPublicKey } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** The account every offline plan runs in (the plan-review fixtures' seeded state uses the same one). */
export const OFFLINE_ACCOUNT = "123456789012";

/**
 * The public keys offline plans read for KMS keys: fixed, so that re-planning gives the same plan, and
 * several, so that the keys of a key set differ (each KMS key ARN picks one by its hash; see publicKeyFor).
 * Only their public halves exist; nothing can sign with them.
 */
export const OFFLINE_PUBLIC_KEY_PEMS = [
  `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAybP+tI7kOB/enTANh/eT
7H3xtg51RuHjbV2xcEXqGJ4C2WKbftKrZt+wVU0RqnJGDL4/eSzRRR5XtDkrTUFI
+R1u8iLEZramrWZdelLZqf7e/c/FP8cWlAKgqWn7EC8wl4Wfty+Pk5s9CN6vJxfJ
/ZmyB+3xxR3s236Pc2EFwD27+e/CGuYUfSTqy9FkSd4MgvWkVGV5hw6XahcrnT0M
4grUuQ5704i0ic78yTg0OZe75w3dWr9JGW28Y2pk15Ksmk38gN1jpEW10tBjwz+S
+vwf2/57g518qEoY7bTKtg57/DaWN6nDXIOV303knjMlDvvHRpDXXm9kv+miEVGs
JQIDAQAB
-----END PUBLIC KEY-----
`,
  `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA9FNUO4xnmmQPBNpkWjCQ
RiHvZDg5ThE+b/mUWe+/7er2kgnWz2lwRDsW+01N/3ru4tLz17ggfjAMjCd7uxyn
Gg7+dD926NsZs2QYpeuV9syO/d6uziH52ix+GczR8mG1oAa/EJ6gOLGzNMUt7049
LCez3ddTEJCn++HBh6Gv13lOcYRQbmVr0NZzskeYrX8rnUt24vNejFP9NICqOPxu
e0LyRql/89rbufHcFjQVLdP+LE2e+a9V+MrvTYTootvigAI4lPO2nROUj+TEwx3i
0jKnmilQZBOn1UhU4eRQ1e++whRj/TqkYUEB6J913hi20V6Re/jr/kLAy/op0UR8
jwIDAQAB
-----END PUBLIC KEY-----
`,
  `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAv41XURAklYX8JXRrxAXJ
RuHDqL8hw4ltQBlrmrVVb9ZqS3UAmxx0zs75t/VuJ0Te9QbUo4Q7myaTwUHNcH+p
cfUosec0vaBSbCH82hNP6PISNnkHUj5Z31UALPU/Hy9PmKu2oTv28Kl8jV67vK70
SkGgYdCWsgiwZt7FWUJfBCeUrpdXhqYqA0D2EVoC9XcujlA5d9boqEO46g7krabf
DZTFfcgXJSHmrdqPXm5KnB3qOKkii7CzQN7e33B5A2NQojW8yXPUBkC/lebGXxsY
QCPh5jfA0ImECSZSiLtq34LYy8sVbZpilJMuV/vK4Q2SY8hEbaQRC0Uz1uE8WYxf
LwIDAQAB
-----END PUBLIC KEY-----
`,
  `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwaEzf+4ihQkbz0qAAWcE
iedlMjQDvyLC6ASqda78TuD/jQtWCTC8ByhvOPSEfBRMV1nUncWc+XlM/ieoA4wT
DYJaqPqb33/WHj+JpoP1kNrFqZXe1/u/9LGAPoZ8PhmFGPjVmUMoVq/fUwSa1yNN
xIygoY8TF/wUdsW1BNouDJmn2yZbbq5AUD3rdggAM3/yRulp11gFUZazYVLEMnpi
PRs21CUjtWbEcJ5/omZxhwuflvW0hn9jtdCzYasr2lGmzcpjlE3nLSmDc5IzeXji
lX0quXG8gg9zoUAhICvaVaxB1JnOjJk/JDk+DW+aOoQFRU13EFmIo3Joe6CvKLgP
KQIDAQAB
-----END PUBLIC KEY-----
`,
];

export interface OfflineAws {
  /** http://127.0.0.1:<port>, for the provider's `endpoints` block. */
  url: string;
  stop(): Promise<void>;
}

const publicKeysDer = OFFLINE_PUBLIC_KEY_PEMS.map((pem) => createPublicKey(pem).export({ type: "spki", format: "der" }).toString("base64"));

/** The public key (base64 DER) a key ARN reads: always the same one for the same ARN. */
export function publicKeyFor(arn: string): string {
  return publicKeysDer[createHash("sha256").update(arn).digest()[0]! % publicKeysDer.length]!;
}

/** What KMS answers for an RSA_2048 SIGN_VERIFY key (API_GetPublicKey, JSON 1.1 protocol). */
function getPublicKey(input: { KeyId?: string }) {
  const keyId = input.KeyId ?? "";
  const arn = keyId.startsWith("arn:") ? keyId : `arn:aws:kms:eu-west-1:${OFFLINE_ACCOUNT}:key/${keyId}`;
  return {
    KeyId: arn,
    PublicKey: publicKeyFor(arn),
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
