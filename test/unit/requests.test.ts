import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { expect } from "chai";
import { canonicalUsername, usernameError } from "../../lambda/src/auth/username.js";
import { hasDuplicateKey, MAX_BODY_BYTES, readJsonObject } from "../../lambda/src/http/json-body.js";
import { Problem } from "../../lambda/src/http/problem.js";
import { readCredentials, readRegistration } from "../../lambda/src/requests/credentials.js";
import { readPasswordChange, readPasswordConfirmation } from "../../lambda/src/requests/password-change.js";
import { readPasswordReset } from "../../lambda/src/requests/password-reset.js";
import { readRefreshToken } from "../../lambda/src/requests/refresh-token.js";
import { readRoles } from "../../lambda/src/requests/roles.js";
import { readUserListQuery } from "../../lambda/src/requests/user-list.js";
import { httpEvent } from "../support/events.js";

function problemOf(run: () => unknown): Problem {
  try {
    run();
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  return expect.fail("no problem thrown");
}

const event = (body: string | undefined, contentType?: string, isBase64Encoded = false): APIGatewayProxyEventV2 =>
  httpEvent("POST /login", {
    ...(body === undefined ? {} : { body }),
    headers: contentType === undefined ? {} : { "content-type": contentType },
    isBase64Encoded,
  });

describe("request bodies", () => {
  describe("reads a JSON object, with or without a utf-8 charset, in any case", () => {
    for (const contentType of [
      "application/json",
      "application/json; charset=utf-8",
      "Application/JSON;charset=UTF-8",
      'application/json; charset="utf-8"',
    ]) {
      it(contentType, () => {
        expect(readJsonObject(event('{"a":"b"}', contentType))).to.deep.equal({ a: "b" });
      });
    }
  });

  it("decodes base64 bodies", () => {
    expect(readJsonObject(event(Buffer.from('{"a":"b"}').toString("base64"), "application/json", true))).to.deep.equal({ a: "b" });
  });

  const cases: [string, APIGatewayProxyEventV2, string][] = [
    ["no content type", event('{"a":"b"}'), "unsupported_media_type"],
    ["text/plain", event('{"a":"b"}', "text/plain"), "unsupported_media_type"],
    ["application/jsonx", event('{"a":"b"}', "application/jsonx"), "unsupported_media_type"],
    ["a latin1 charset", event('{"a":"b"}', "application/json; charset=latin1"), "unsupported_media_type"],
    ["no body", event(undefined, "application/json"), "invalid_json"],
    ["invalid JSON", event("{", "application/json"), "invalid_json"],
    ["an array", event("[]", "application/json"), "invalid_json"],
    ["null", event("null", "application/json"), "invalid_json"],
    ["a string", event('"x"', "application/json"), "invalid_json"],
    ["duplicate keys", event('{"a":"b","a":"c"}', "application/json"), "invalid_json"],
    ["escaped duplicate keys", event('{"a":"b","\\u0061":"c"}', "application/json"), "invalid_json"],
    ["invalid UTF-8", event(Buffer.from([0x7b, 0xff, 0x7d]).toString("base64"), "application/json", true), "invalid_json"],
    ["a body one byte over 16 KiB", event(`{"a":"${"x".repeat(MAX_BODY_BYTES - 7)}"}`, "application/json"), "payload_too_large"],
    [
      "a base64 body over 16 KiB",
      event(Buffer.alloc(MAX_BODY_BYTES + 1, 0x20).toString("base64"), "application/json", true),
      "payload_too_large",
    ],
  ];
  for (const [name, request, code] of cases) {
    it(`refuses ${name} with ${code}`, () => {
      expect(problemOf(() => readJsonObject(request)).code).to.equal(code);
    });
  }

  describe("refuses a body that is not UTF-8, or in which a decoder left U+FFFD, as not valid UTF-8", () => {
    const password = (bytes: number[]) => Buffer.concat([Buffer.from('{"password":"abc'), Buffer.from(bytes), Buffer.from('defgh"}')]);
    const notUtf8: [string, APIGatewayProxyEventV2][] = [
      ["a lone continuation byte, base64", event(password([0x80]).toString("base64"), "application/json", true)],
      ["a Latin-1 é, base64", event(password([0xe9]).toString("base64"), "application/json", true)],
      ["an overlong encoding, base64", event(password([0xc0, 0xaf]).toString("base64"), "application/json", true)],
      ["a UTF-8-encoded surrogate, base64", event(password([0xed, 0xa0, 0x80]).toString("base64"), "application/json", true)],
      ["U+FFFD itself, base64", event(password([0xef, 0xbf, 0xbd]).toString("base64"), "application/json", true)],
      ["U+FFFD in a text body (what a gateway's decoder leaves)", event('{"password":"abc\uFFFDdefgh"}', "application/json")],
      ["U+FFFD outside any string", event('{"password":"abcdefgh"}\uFFFD', "application/json")],
    ];
    for (const [name, request] of notUtf8) {
      it(name, () => {
        const problem = problemOf(() => readJsonObject(request));
        expect(problem.code).to.equal("invalid_json");
        expect(problem.options.detail).to.equal("The body is not valid UTF-8.");
      });
    }

    it("accepts the six characters \\ufffd, which no decoder makes", () => {
      expect(readJsonObject(event('{"a":"\\ufffd"}', "application/json"))).to.deep.equal({ a: "\ufffd" });
    });
  });

  it("reads deep nesting without crashing", () => {
    // Deep nesting is valid JSON; it must simply not crash. The fields check refuses it later.
    expect(readJsonObject(event(`{"a":${"[".repeat(5000)}${"]".repeat(5000)}}`, "application/json"))).to.have.property("a");
  });

  it("accepts a body of exactly 16 KiB", () => {
    const body = `{"a":"${"x".repeat(MAX_BODY_BYTES - 8)}"}`;
    expect(Buffer.byteLength(body)).to.equal(MAX_BODY_BYTES);
    expect(readJsonObject(event(body, "application/json"))).to.have.property("a");
  });

  it("finds duplicate keys at any depth, and not in arrays or values", () => {
    expect(hasDuplicateKey('{"a":{"b":1,"b":2}}')).to.equal(true);
    expect(hasDuplicateKey('{"a":[{"b":1},{"b":2}],"c":"a"}')).to.equal(false);
    expect(hasDuplicateKey('{"a":"\\"a\\"","b":{"a":1}}')).to.equal(false);
  });
});

describe("credentials", () => {
  it("canonicalises the username and keeps the password as sent", () => {
    expect(readCredentials({ username: `${"  ".trim()}ＡＬＩＣＥ`, password: "Pass word 1" })).to.deep.equal({
      username: "alice",
      password: "Pass word 1",
    });
  });

  const refused: [string, Record<string, unknown>, string, { field: string; code: string }[]][] = [
    [
      "missing fields",
      {},
      "validation_failed",
      [
        { field: "username", code: "required" },
        { field: "password", code: "required" },
      ],
    ],
    [
      "an extra field",
      { username: "alice", password: "password1", role: "admin" },
      "validation_failed",
      [{ field: "role", code: "unexpected" }],
    ],
    [
      "__proto__",
      JSON.parse('{"username":"alice","password":"password1","__proto__":{"x":1}}'),
      "validation_failed",
      [{ field: "__proto__", code: "unexpected" }],
    ],
    ["a number", { username: 1, password: "password1" }, "validation_failed", [{ field: "username", code: "type" }]],
    ["null", { username: "alice", password: null }, "validation_failed", [{ field: "password", code: "type" }]],
    ["an array", { username: ["alice"], password: "password1" }, "validation_failed", [{ field: "username", code: "type" }]],
    ["an object", { username: "alice", password: { a: 1 } }, "validation_failed", [{ field: "password", code: "type" }]],
    ["an empty username", { username: "", password: "password1" }, "validation_failed", [{ field: "username", code: "empty" }]],
    ["a short username", { username: "al", password: "password1" }, "validation_failed", [{ field: "username", code: "too_short" }]],
    [
      "a long username",
      { username: "a".repeat(33), password: "password1" },
      "validation_failed",
      [{ field: "username", code: "too_long" }],
    ],
    ["a leading dot", { username: ".alice", password: "password1" }, "validation_failed", [{ field: "username", code: "format" }]],
    [
      "a zero-width joiner",
      { username: "ali\u200dce", password: "password1" },
      "validation_failed",
      [{ field: "username", code: "format" }],
    ],
    [
      "a right-to-left override",
      { username: "ali\u202ece", password: "password1" },
      "validation_failed",
      [{ field: "username", code: "format" }],
    ],
    ["a Cyrillic look-alike", { username: "аlice", password: "password1" }, "validation_failed", [{ field: "username", code: "format" }]],
    ["a short password", { username: "alice", password: "1234567" }, "validation_failed", [{ field: "password", code: "too_short" }]],
    ["a 73-byte password", { username: "alice", password: "x".repeat(73) }, "password_too_long", [{ field: "password", code: "too_long" }]],
    [
      "a 73-byte password and a bad username",
      { username: "a", password: "x".repeat(73) },
      "validation_failed",
      [
        { field: "username", code: "too_short" },
        { field: "password", code: "too_long" },
      ],
    ],
  ];
  for (const [name, body, code, errors] of refused) {
    it(`refuses ${name}`, () => {
      const problem = problemOf(() => readCredentials(body));
      expect(problem.code).to.equal(code);
      expect(problem.options.errors).to.deep.equal(errors);
    });
  }

  describe("allows 3 to 32 characters of a-z 0-9 . _ - starting with a letter or digit", () => {
    for (const ok of ["abc", "a.b", "0_-", "a".repeat(32)]) {
      it(`allows ${JSON.stringify(ok)}`, () => {
        expect(usernameError(canonicalUsername(ok)), ok).to.equal(undefined);
      });
    }
    for (const bad of ["_ab", "-ab", "a b", "ab!", "a@b"]) {
      it(`refuses ${JSON.stringify(bad)} as a format error`, () => {
        expect(usernameError(canonicalUsername(bad)), bad).to.equal("format");
      });
    }
  });
});

async function asyncProblemOf(run: () => Promise<unknown>): Promise<Problem> {
  try {
    await run();
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  return expect.fail("no problem thrown");
}

describe("passwords being set", () => {
  const registrations: [string, Record<string, unknown>, { field: string; code: string }[]][] = [
    ["a common password", { username: "alice", password: "iloveyou" }, [{ field: "password", code: "too_common" }]],
    ["the username as the password", { username: "Alice.Example", password: "ALICE.example" }, [{ field: "password", code: "too_common" }]],
    ["a NUL in the password", { username: "alice", password: "abcd\u0000abcd" }, [{ field: "password", code: "format" }]],
    [
      "a common password and a bad username",
      { username: "a", password: "password" },
      [
        { field: "username", code: "too_short" },
        { field: "password", code: "too_common" },
      ],
    ],
  ];
  for (const [name, body, errors] of registrations) {
    it(`refuses a registration with ${name}`, async () => {
      const problem = await asyncProblemOf(() => readRegistration(body));
      expect(problem.code).to.equal("validation_failed");
      expect(problem.options.errors).to.deep.equal(errors);
    });
  }

  it("lets a login through with a common password: rules for new passwords do not lock old accounts out", () => {
    expect(readCredentials({ username: "alice", password: "iloveyou" }).password).to.equal("iloveyou");
  });

  it("reads a password change", async () => {
    expect(await readPasswordChange({ current_password: "iloveyou", new_password: "a new long secret" }, "alice")).to.deep.equal({
      currentPassword: "iloveyou",
      newPassword: "a new long secret",
    });
  });

  const changes: [string, Record<string, unknown>, string, { field: string; code: string }[]][] = [
    [
      "missing fields",
      {},
      "validation_failed",
      [
        { field: "current_password", code: "required" },
        { field: "new_password", code: "required" },
      ],
    ],
    [
      "an unchanged password",
      { current_password: "same secret 1", new_password: "same secret 1" },
      "validation_failed",
      [{ field: "new_password", code: "unchanged" }],
    ],
    [
      "a common new password",
      { current_password: "old secret 1", new_password: "Password1" },
      "validation_failed",
      [{ field: "new_password", code: "too_common" }],
    ],
    [
      "the username as the new password",
      { current_password: "old secret 1", new_password: "Alice" + "Smith" },
      "validation_failed",
      [{ field: "new_password", code: "too_common" }],
    ],
    [
      "a 73-byte new password",
      { current_password: "old secret 1", new_password: "x".repeat(73) },
      "password_too_long",
      [{ field: "new_password", code: "too_long" }],
    ],
    [
      "a 73-byte current password",
      { current_password: "x".repeat(73), new_password: "new secret 1" },
      "password_too_long",
      [{ field: "current_password", code: "too_long" }],
    ],
    [
      "a NUL in the current password",
      { current_password: "old\u0000secret", new_password: "new secret 1" },
      "validation_failed",
      [{ field: "current_password", code: "format" }],
    ],
    [
      "an extra field",
      { current_password: "old secret 1", new_password: "new secret 1", username: "bob" },
      "validation_failed",
      [{ field: "username", code: "unexpected" }],
    ],
    [
      "a numeric new password",
      { current_password: "old secret 1", new_password: 12345678 },
      "validation_failed",
      [{ field: "new_password", code: "type" }],
    ],
  ];
  for (const [name, body, code, errors] of changes) {
    it(`refuses a password change with ${name}`, async () => {
      const problem = await asyncProblemOf(() => readPasswordChange(body, "alicesmith"));
      expect(problem.code).to.equal(code);
      expect(problem.options.errors).to.deep.equal(errors);
    });
  }

  const confirmations: [string, Record<string, unknown>, string][] = [
    ["no password", {}, "validation_failed"],
    ["an empty password", { password: "" }, "validation_failed"],
    ["a NUL", { password: "secret\u0000secret" }, "validation_failed"],
    ["a 73-byte password", { password: "x".repeat(73) }, "password_too_long"],
    ["an extra field", { password: "secret secret", confirm: true }, "validation_failed"],
  ];
  for (const [name, body, code] of confirmations) {
    it(`refuses an account deletion with ${name}`, () => {
      expect(problemOf(() => readPasswordConfirmation(body)).code).to.equal(code);
    });
  }
});

describe("refresh token requests", () => {
  it("reads refresh_token and refuses anything else", () => {
    expect(readRefreshToken({ refresh_token: "abc" })).to.equal("abc");
    expect(problemOf(() => readRefreshToken({})).code).to.equal("validation_failed");
    expect(problemOf(() => readRefreshToken({ refresh_token: "" })).options.errors).to.deep.equal([
      { field: "refresh_token", code: "empty" },
    ]);
    expect(problemOf(() => readRefreshToken({ refresh_token: 5 })).code).to.equal("validation_failed");
    expect(problemOf(() => readRefreshToken({ refresh_token: "x".repeat(513) })).code).to.equal("validation_failed");
    expect(problemOf(() => readRefreshToken({ refresh_token: "a", extra: 1 })).code).to.equal("validation_failed");
  });
});

describe("PUT /admin/users/{id}/roles bodies", () => {
  for (const roles of [[], ["admin"]]) {
    it(`reads ${JSON.stringify(roles)}`, () => {
      expect(readRoles({ roles })).to.deep.equal(roles);
    });
  }
  const refused: [string, Record<string, unknown>, { field: string; code: string }[]][] = [
    ["no roles", {}, [{ field: "roles", code: "required" }]],
    ["null", { roles: null }, [{ field: "roles", code: "type" }]],
    ["a string", { roles: "admin" }, [{ field: "roles", code: "type" }]],
    ["an object", { roles: { admin: true } }, [{ field: "roles", code: "type" }]],
    ["an unknown role", { roles: ["owner"] }, [{ field: "roles", code: "format" }]],
    ["a role in another case", { roles: ["Admin"] }, [{ field: "roles", code: "format" }]],
    ["a role twice", { roles: ["admin", "admin"] }, [{ field: "roles", code: "format" }]],
    ["a nested list", { roles: [["admin"]] }, [{ field: "roles", code: "format" }]],
    ["an extra field", { roles: [], id: "x" }, [{ field: "id", code: "unexpected" }]],
  ];
  for (const [name, body, errors] of refused) {
    it(`refuses ${name}`, () => {
      const problem = problemOf(() => readRoles(body));
      expect(problem.code).to.equal("validation_failed");
      expect(problem.options.errors).to.deep.equal(errors);
    });
  }
});

describe("POST /password/reset bodies", () => {
  const valid = { username: "Alice.Smith", reset_code: "c".repeat(32), new_password: "a brand new secret" };

  it("reads the canonical username, the code as sent and the new password", async () => {
    expect(await readPasswordReset(valid)).to.deep.equal({
      username: "alice.smith",
      resetCode: "c".repeat(32),
      newPassword: "a brand new secret",
    });
  });

  it("takes a code of any shape as a code (a wrong one is a wrong code, not a malformed body)", async () => {
    expect((await readPasswordReset({ ...valid, reset_code: "not a code!" })).resetCode).to.equal("not a code!");
  });

  const refused: [string, Record<string, unknown>, string, { field: string; code: string }[]][] = [
    ["an empty object", {}, "validation_failed", ["username", "reset_code", "new_password"].map((field) => ({ field, code: "required" }))],
    ["an empty code", { ...valid, reset_code: "" }, "validation_failed", [{ field: "reset_code", code: "empty" }]],
    ["a 257-character code", { ...valid, reset_code: "c".repeat(257) }, "validation_failed", [{ field: "reset_code", code: "too_long" }]],
    ["a numeric code", { ...valid, reset_code: 12345 }, "validation_failed", [{ field: "reset_code", code: "type" }]],
    ["a bad username", { ...valid, username: "a b" }, "validation_failed", [{ field: "username", code: "format" }]],
    [
      "a common new password",
      { ...valid, new_password: "password123" },
      "validation_failed",
      [{ field: "new_password", code: "too_common" }],
    ],
    [
      "the username as new password",
      { ...valid, new_password: "ALICE.SMITH" },
      "validation_failed",
      [{ field: "new_password", code: "too_common" }],
    ],
    ["a short new password", { ...valid, new_password: "short" }, "validation_failed", [{ field: "new_password", code: "too_short" }]],
    [
      "a 73-byte new password",
      { ...valid, new_password: "x".repeat(73) },
      "password_too_long",
      [{ field: "new_password", code: "too_long" }],
    ],
    ["an extra field", { ...valid, roles: ["admin"] }, "validation_failed", [{ field: "roles", code: "unexpected" }]],
  ];
  for (const [name, body, code, errors] of refused) {
    it(`refuses ${name}`, async () => {
      const problem = await asyncProblemOf(() => readPasswordReset(body));
      expect(problem.code).to.equal(code);
      expect(problem.options.errors).to.deep.equal(errors);
    });
  }
});

describe("GET /admin/users queries", () => {
  for (const [query, expected] of [
    [undefined, { limit: 50, cursor: undefined }],
    [{}, { limit: 50, cursor: undefined }],
    [{ limit: "1" }, { limit: 1, cursor: undefined }],
    [
      { limit: "100", cursor: "abc" },
      { limit: 100, cursor: "abc" },
    ],
    [{ limit: "007" }, { limit: 7, cursor: undefined }],
  ] as const) {
    it(`reads ${JSON.stringify(query)}`, () => {
      expect(readUserListQuery(query)).to.deep.equal(expected);
    });
  }
  const refused: [Record<string, string>, { field: string; code: string }[]][] = [
    [{ limit: "0" }, [{ field: "limit", code: "out_of_range" }]],
    [{ limit: "101" }, [{ field: "limit", code: "out_of_range" }]],
    [{ limit: "1000" }, [{ field: "limit", code: "format" }]],
    [{ limit: "1.5" }, [{ field: "limit", code: "format" }]],
    [{ limit: "" }, [{ field: "limit", code: "format" }]],
    [{ limit: "1,2" }, [{ field: "limit", code: "format" }]],
    [{ limit: " 5" }, [{ field: "limit", code: "format" }]],
    [{ cursor: "" }, [{ field: "cursor", code: "empty" }]],
    [{ cursor: "c".repeat(1025) }, [{ field: "cursor", code: "too_long" }]],
    [{ offset: "5" }, [{ field: "offset", code: "unexpected" }]],
  ];
  for (const [query, errors] of refused) {
    it(`refuses ${JSON.stringify(query).slice(0, 40)}`, () => {
      const problem = problemOf(() => readUserListQuery(query));
      expect(problem.code).to.equal("validation_failed");
      expect(problem.options.errors).to.deep.equal(errors);
    });
  }
});
