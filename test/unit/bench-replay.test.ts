import { expect } from "chai";
import { dependencies, type RecordedSend, replayInput, waves } from "../../scripts/bench/dynamodb-replay.js";
import { pairedDifference, pairedRatio, quantile } from "../../scripts/bench/stats.js";

const send = (name: string, startedAt: number, endedAt: number): RecordedSend => ({
  command: "GetItemCommand",
  input: { name },
  startedAt,
  endedAt,
  outcome: "ok",
});
const names = (groups: RecordedSend[][]) => groups.map((group) => group.map((entry) => entry.input.name));

describe("bench: the floor's replay of recorded DynamoDB commands", () => {
  describe("waves", () => {
    it("puts sends that overlap in one wave, and starts a new one when none is in flight", () => {
      // A login: the user read beside the lockout count, a gap (bcrypt, signing), then three writes.
      const sends = [
        send("count", 0, 3),
        send("user", 0.1, 2),
        send("session", 70, 74),
        send("token", 70.1, 72),
        send("forgive", 70.2, 73),
      ];
      expect(names(waves(sends))).to.deep.equal([
        ["count", "user"],
        ["session", "token", "forgive"],
      ]);
    });

    it("keeps a chained send in the wave of the send it followed while another was still in flight", () => {
      // The lockout's count lost its condition and started a window, while the user read was still running.
      const sends = [send("count", 0, 2), send("user", 0, 5), send("start-window", 2.5, 4)];
      expect(names(waves(sends))).to.deep.equal([["count", "user", "start-window"]]);
    });

    it("orders by start, whatever order the sends were recorded in", () => {
      expect(names(waves([send("later", 10, 11), send("first", 0, 1)]))).to.deep.equal([["first"], ["later"]]);
    });

    it("gives a send that starts the moment the last one ends a wave of its own", () => {
      expect(names(waves([send("a", 0, 1), send("b", 1, 2)]))).to.deep.equal([["a"], ["b"]]);
    });
  });

  describe("dependencies", () => {
    it("makes a send wait for those that had ended before it started, and for no send beside it", () => {
      const wave = [send("count", 0, 2), send("user", 0, 5), send("start-window", 2.5, 4)];
      expect(dependencies(wave)).to.deep.equal([[], [], [0]]);
    });
  });

  describe("replayInput", () => {
    const put = (condition: string) => ({
      command: "PutItemCommand",
      input: { TableName: "t", Item: { pk: { S: "refresh#abcdefghij" }, userId: { S: "u" } }, ConditionExpression: condition },
    });

    it("gives a put that may only create its item a new key of the same prefix and length", () => {
      const replayed = replayInput(put("attribute_not_exists(#pk)"), "pk") as { Item: Record<string, { S: string }> };
      const key = replayed.Item.pk!.S;
      expect(key).to.match(/^refresh#[A-Za-z0-9_-]{10}$/);
      expect(key).to.not.equal("refresh#abcdefghij");
      expect(replayed.Item.userId).to.deep.equal({ S: "u" });
    });

    it("sends a put with any other condition as it was (the lockout's new window)", () => {
      const original = put("attribute_not_exists(#pk) OR #expiresAt <= :now");
      expect(replayInput(original, "pk")).to.equal(original.input);
    });

    it("sends an update as it was", () => {
      const update = {
        command: "UpdateItemCommand",
        input: { Key: { pk: { S: "user#a" } }, ConditionExpression: "attribute_not_exists(pk)" },
      };
      expect(replayInput(update, "pk")).to.equal(update.input);
    });
  });
});

describe("bench: paired statistics", () => {
  it("takes the median of per-round ratios, with quartiles", () => {
    expect(pairedRatio([10, 30, 30, 60, 50], [10, 20, 20, 40, 50])).to.deep.equal({ median: 1.5, q1: 1, q3: 1.5 });
  });

  it("lets a slow spell that stretches both sides of a round leave the ratio alone", () => {
    // Round 2 ran ten times slower for both; the ratio of medians would move, the paired ratio does not.
    expect(pairedRatio([105, 1050, 105], [100, 1000, 100]).median).to.equal(1.05);
  });

  it("takes the median of per-round differences", () => {
    expect(pairedDifference([5, 100, 7], [4, 90, 5])).to.equal(2);
  });

  it("refuses samples that do not pair up", () => {
    expect(() => pairedRatio([1, 2], [1])).to.throw(RangeError);
  });

  it("interpolates quantiles between samples", () => {
    expect(quantile([4, 1, 3, 2], 0.5)).to.equal(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).to.equal(2);
    expect(quantile([], 0.5)).to.be.NaN;
  });
});
