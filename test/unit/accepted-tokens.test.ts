import { expect } from "chai";
import { createAcceptedTokens } from "../../lambda/shared/accepted-tokens.js";

describe("accepted tokens", () => {
  it("recalls a token until the time it was remembered for, and not from then on", () => {
    let clock = 1_000;
    const accepted = createAcceptedTokens<string>({ limit: 10, now: () => clock });
    expect(accepted.recall("a")).to.equal(undefined);
    accepted.remember("a", "claims of a", 2_000);
    clock = 1_999;
    expect(accepted.recall("a")).to.equal("claims of a");
    clock = 2_000;
    expect(accepted.recall("a")).to.equal(undefined);
    clock = 1_500;
    expect(accepted.recall("a"), "an expired token is forgotten, not kept for an earlier clock").to.equal(undefined);
  });

  it("forgets the oldest token past its limit", () => {
    const accepted = createAcceptedTokens<number>({ limit: 2, now: () => 0 });
    accepted.remember("a", 1, 10);
    accepted.remember("b", 2, 10);
    accepted.remember("c", 3, 10);
    expect([accepted.recall("a"), accepted.recall("b"), accepted.recall("c")]).to.deep.equal([undefined, 2, 3]);
  });

  it("keeps every token when one already remembered is remembered again at the limit", () => {
    const accepted = createAcceptedTokens<number>({ limit: 2, now: () => 0 });
    accepted.remember("a", 1, 10);
    accepted.remember("b", 2, 10);
    accepted.remember("b", 3, 20);
    expect([accepted.recall("a"), accepted.recall("b")]).to.deep.equal([1, 3]);
  });
});
