/**
 * The key set of make rotate-key and make retire-keys (scripts/signing-keys): its rules, the two procedures
 * against a target kept in memory with a clock the test moves, and the waits against the settings they are
 * derived from.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_SKEW_SECONDS } from "../../lambda/src/auth/access-tokens.js";
import { KEYS_MAX_AGE_SECONDS } from "../../lambda/src/handlers/well-known.js";
import { REFETCH_INTERVAL_MS } from "../../scripts/gateway-emulator/issuer-keys.js";
import { readGatewaySettings } from "../../scripts/gateway-emulator/settings.js";
import { type KeySet, KeySetError, MAX_KEYS, newKeyName, parseKeySet } from "../../scripts/signing-keys/key-set.js";
import { localTarget } from "../../scripts/signing-keys/local-target.js";
import {
  type Clock,
  DEPLOYED_PUBLISH_WAIT_MS,
  type KeySetTarget,
  RETIRE_AFTER_MS,
  retireKeys,
  rotateKey,
} from "../../scripts/signing-keys/rotation.js";
import { terraformTarget } from "../../scripts/signing-keys/terraform-target.js";
import { REPO_ROOT } from "../../scripts/terraform/lib/terraform.js";

const T0 = Date.UTC(2026, 4, 22, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

describe("signing keys: the key set's rules (Terraform's validations of signing_keys)", () => {
  it("accepts one active key, with any number of others up to four, and since null or a UTC time", () => {
    const keys = {
      initial: { state: "retiring", since: "2026-05-22T12:00:00Z" },
      "2026-05-22": { state: "active", since: null },
      "2026-06-01": { state: "pending" },
    };
    expect(parseKeySet(keys, "f")).to.deep.equal({
      initial: { state: "retiring", since: "2026-05-22T12:00:00Z" },
      "2026-05-22": { state: "active", since: null },
      "2026-06-01": { state: "pending", since: null },
    });
  });

  const refused: [string, unknown, RegExp][] = [
    ["no active key", { a: { state: "retiring", since: null } }, /exactly one active key .*not 0/],
    ["two active keys", { a: { state: "active" }, b: { state: "active" } }, /exactly one active key .*not 2/],
    ["five keys", Object.fromEntries(["a", "b", "c", "d", "e"].map((n, i) => [n, { state: i ? "retiring" : "active" }])), /at most 4 keys/],
    ["two pending keys", { a: { state: "active" }, b: { state: "pending" }, c: { state: "pending" } }, /at most one pending/],
    ["an unknown state", { a: { state: "active" }, b: { state: "revoked" } }, /state active, pending or retiring/],
    ["a name with capitals", { Primary: { state: "active" } }, /key name "Primary"/],
    ["a name of 33 characters", { [`k${"x".repeat(32)}`]: { state: "active" } }, /1 to 32 characters/],
    ["a time with an offset", { a: { state: "active", since: "2026-05-22T12:00:00+02:00" } }, /since null or a UTC time/],
    ["a time that is no date", { a: { state: "active", since: "2026-13-45T12:00:00Z" } }, /since null or a UTC time/],
    ["a field of its own", { a: { state: "active", note: "x" } }, /fields other than state and since: note/],
    ["a list instead of a map", [{ state: "active" }], /an object of keys by name/],
  ];
  for (const [what, keys, message] of refused) {
    it(`refuses ${what}`, () => {
      expect(() => parseKeySet(keys, "the file")).to.throw(KeySetError, message);
    });
  }

  it("allows as many keys as terraform/variables.tf does", () => {
    const variables = readFileSync(join(REPO_ROOT, "terraform/variables.tf"), "utf8");
    expect(variables).to.include(`length(var.signing_keys) <= ${MAX_KEYS}`);
  });

  it("names a new key by its UTC date, numbered when that name is taken", () => {
    expect(newKeyName({}, T0)).to.equal("2026-05-22");
    expect(newKeyName(parseKeySet({ "2026-05-22": { state: "active" }, "2026-05-22-2": { state: "retiring" } }, "f"), T0)).to.equal(
      "2026-05-22-3",
    );
  });

  it("holds in the committed terraform/signing-keys.auto.tfvars.json", () => {
    const text = readFileSync(join(REPO_ROOT, "terraform/signing-keys.auto.tfvars.json"), "utf8");
    expect(() => parseKeySet(JSON.parse(text).signing_keys, "terraform/signing-keys.auto.tfvars.json")).not.to.throw();
  });
});

describe("signing keys: the waits, from the settings they stand for", () => {
  const integrationTimeoutMs = readGatewaySettings().integrationTimeoutMilliseconds;

  it("deployed, publishes a new key for the JWKS's max-age plus the longest invocation of the configuration before", () => {
    expect(DEPLOYED_PUBLISH_WAIT_MS).to.equal(KEYS_MAX_AGE_SECONDS * 1000 + integrationTimeoutMs);
  });

  it("keeps a retiring key for a token's lifetime, the function's skew and the longest invocation that could still sign with it", () => {
    expect(RETIRE_AFTER_MS).to.equal((ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS) * 1000 + integrationTimeoutMs);
  });

  it("locally, publishes a new key for the emulator's interval between fetches for an unknown kid", () => {
    const clock = { now: () => T0, sleep: async () => {} };
    expect(localTarget({ localDir: "/nowhere", url: "http://127.0.0.1:9", clock, log: () => {} }).publishWaitMs).to.equal(
      REFETCH_INTERVAL_MS,
    );
    expect(terraformTarget({ clock, log: () => {} }).publishWaitMs).to.equal(DEPLOYED_PUBLISH_WAIT_MS);
  });
});

/** A target in memory: what was applied, saved, made and forgotten, in order. */
function memoryTarget(initial: Record<string, unknown>, clock: { now: number }) {
  let stored = parseKeySet(initial, "memory");
  const events: string[] = [];
  const applied: KeySet[] = [];
  const summary = (keys: KeySet) =>
    Object.entries(keys)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, key]) => `${name}:${key.state}@${key.since ?? "-"}`)
      .join(" ");
  const target: KeySetTarget = {
    description: "memory",
    publishWaitMs: 5000,
    read: async () => structuredClone(stored),
    save: async (keys) => {
      stored = parseKeySet(keys, "memory");
      events.push(`save ${summary(keys)}`);
    },
    apply: async (keys) => {
      stored = parseKeySet(keys, "memory");
      applied.push(keys);
      events.push(`apply ${summary(keys)} at ${iso(clock.now)}`);
      clock.now += 1000; // serving it takes a second
    },
    createKey: async (name) => {
      events.push(`create ${name}`);
    },
    forgetKeys: async (names) => {
      events.push(`forget ${names.join(",")}`);
    },
  };
  return { target, events, applied, stored: () => stored };
}

function testClock(start = T0) {
  const state = { now: start };
  const slept: number[] = [];
  const clock: Clock = {
    now: () => state.now,
    sleep: async (ms) => {
      slept.push(ms);
      state.now += ms;
    },
  };
  return { state, clock, slept };
}

describe("signing keys: make rotate-key", () => {
  it("publishes a pending key, waits the publish wait from when it was served, then makes it sign and the old key retire", async () => {
    const { state, clock, slept } = testClock();
    const { target, events } = memoryTarget({ initial: { state: "active", since: null } }, state);
    const keys = await rotateKey(target, clock, () => {});
    expect(events).to.deep.equal([
      "create 2026-05-22",
      "apply 2026-05-22:pending@- initial:active@- at 2026-05-22T12:00:00Z",
      "save 2026-05-22:pending@2026-05-22T12:00:01Z initial:active@-",
      "apply 2026-05-22:active@- initial:retiring@- at 2026-05-22T12:00:06Z",
      "save 2026-05-22:active@2026-05-22T12:00:07Z initial:retiring@2026-05-22T12:00:07Z",
    ]);
    expect(slept).to.deep.equal([5000]);
    expect(keys).to.deep.equal({
      "2026-05-22": { state: "active", since: "2026-05-22T12:00:07Z" },
      initial: { state: "retiring", since: "2026-05-22T12:00:07Z" },
    });
  });

  it("picks up an interrupted rotation: the pending key is not added again, and waits only what is left of its wait", async () => {
    const { state, clock, slept } = testClock(T0 + 3000);
    const { target, events } = memoryTarget(
      { initial: { state: "active", since: null }, next: { state: "pending", since: iso(T0) } },
      state,
    );
    await rotateKey(target, clock, () => {});
    expect(slept).to.deep.equal([2000]);
    expect(events[0]).to.equal("apply initial:retiring@- next:active@- at 2026-05-22T12:00:05Z");
  });

  it("applies first a change an earlier run wrote but did not see take effect, counting its wait from then", async () => {
    const { state, clock, slept } = testClock();
    const { target, events } = memoryTarget({ initial: { state: "active" }, next: { state: "pending", since: null } }, state);
    await rotateKey(target, clock, () => {});
    expect(events.slice(0, 2)).to.deep.equal([
      "apply initial:active@- next:pending@- at 2026-05-22T12:00:00Z",
      "save initial:active@- next:pending@2026-05-22T12:00:01Z",
    ]);
    expect(slept).to.deep.equal([5000]);
  });

  it("finishes a hand-over an earlier run wrote but did not see take effect, without starting another rotation", async () => {
    const { state, clock, slept } = testClock();
    const { target, events } = memoryTarget({ initial: { state: "retiring", since: null }, next: { state: "active", since: null } }, state);
    await rotateKey(target, clock, () => {});
    expect(events).to.deep.equal([
      "apply initial:retiring@- next:active@- at 2026-05-22T12:00:00Z",
      "save initial:retiring@2026-05-22T12:00:01Z next:active@2026-05-22T12:00:01Z",
    ]);
    expect(slept).to.deep.equal([]);
  });

  it(`refuses a key beyond the ${MAX_KEYS} a key set may hold before making it`, async () => {
    const { state, clock } = testClock();
    const full = {
      a: { state: "active" },
      b: { state: "retiring", since: iso(T0) },
      c: { state: "retiring", since: iso(T0) },
      d: { state: "retiring", since: iso(T0) },
    };
    const { target, events } = memoryTarget(full, state);
    await rotateKey(target, clock, () => {}).then(
      () => expect.fail("rotated"),
      (error: Error) => expect(error).to.be.instanceOf(KeySetError).with.property("message").that.includes("run make retire-keys first"),
    );
    expect(events).to.deep.equal([]);
  });
});

describe("signing keys: make retire-keys", () => {
  const retiring = (since: number) => ({ new: { state: "active", since: iso(since) }, old: { state: "retiring", since: iso(since) } });

  it("refuses while a token the retiring key signed may still be valid, saying from when it may go, and changes nothing", async () => {
    const { state, clock } = testClock(T0 + RETIRE_AFTER_MS - 1000);
    const { target, events } = memoryTarget(retiring(T0), state);
    await retireKeys(target, clock, () => {}).then(
      () => expect.fail("retired"),
      (error: Error) =>
        expect(error.message).to.include("old may still be valid; it may be dropped from 2026-05-22 12:16:00 UTC").and.include("FORCE=1"),
    );
    expect(events).to.deep.equal([]);
  });

  it("drops the retiring key and its key material once every token it signed has expired", async () => {
    const { state, clock } = testClock(T0 + RETIRE_AFTER_MS);
    const { target, events } = memoryTarget(retiring(T0), state);
    expect(await retireKeys(target, clock, () => {})).to.deep.equal({ new: { state: "active", since: iso(T0) } });
    expect(events).to.deep.equal(["apply new:active@2026-05-22T12:00:00Z at 2026-05-22T12:16:00Z", "forget old"]);
  });

  it("with FORCE=1 drops it at once", async () => {
    const { state, clock } = testClock(T0 + 1000);
    const { target, stored } = memoryTarget(retiring(T0), state);
    const lines: string[] = [];
    await retireKeys(target, clock, (line) => lines.push(line), { force: true });
    expect(Object.keys(stored())).to.deep.equal(["new"]);
    expect(lines.join("\n")).to.include("FORCE=1: dropping old now");
  });

  it("drops the keys that may go and keeps, naming when, those that may not yet", async () => {
    const { state, clock } = testClock(T0 + RETIRE_AFTER_MS);
    const { target, stored } = memoryTarget(
      { older: { state: "retiring", since: iso(T0) }, old: { state: "retiring", since: iso(T0 + 60_000) }, new: { state: "active" } },
      state,
    );
    const lines: string[] = [];
    await retireKeys(target, clock, (line) => lines.push(line));
    expect(Object.keys(stored()).sort()).to.deep.equal(["new", "old"]);
    expect(lines.join("\n")).to.include("old stays: it may be dropped from 2026-05-22 12:17:00 UTC");
  });

  it("does nothing when no key is retiring", async () => {
    const { state, clock } = testClock();
    const { target, events } = memoryTarget({ only: { state: "active" } }, state);
    await retireKeys(target, clock, () => {});
    expect(events).to.deep.equal([]);
  });
});
