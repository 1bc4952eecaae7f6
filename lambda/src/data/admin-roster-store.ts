import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from "@aws-sdk/client-dynamodb";
import { conditionalWrite } from "./dynamodb-client.js";
import { keys, TABLE } from "./table.js";

export interface RosterState {
  /** Counts every change of the roster; a decision to take someone off it is made only at the version it was checked at. */
  version: number;
  /** The ids of the enabled admins whose standing has been written to their user items. */
  members: ReadonlySet<string>;
}

/**
 * One item that holds the last-admin rule, since DynamoDB transactions are not used (DESIGN.md decision 5):
 * `members`, the enabled admins, and `decisions`, the latest decision about each user whose change is
 * still being written. Every change of an account's standing is decided here first and then written to
 * the user item with the decision's version; see auth/account-standing.ts for why the rule holds.
 */
export interface AdminRosterStore {
  read(): Promise<RosterState>;
  /** A decision that may make the user an enabled admin; returns its version. */
  decideJoin(userId: string): Promise<number>;
  /**
   * A decision that takes the user off the roster, made only if the roster is still at `seenVersion`;
   * returns its version, or undefined when another change came first.
   */
  decideLeave(userId: string, seenVersion: number): Promise<number | undefined>;
  /**
   * The same for a user who is not on the roster, made only while it is not: no count can change, so it
   * needs no version check and races no other change; returns its version, or undefined once the user is on.
   */
  decideLeaveAsNonMember(userId: string): Promise<number | undefined>;
  /** Puts the user on the roster, if decision `version` is still the latest about it; whether it did. */
  admit(userId: string, version: number): Promise<boolean>;
  /** Forgets decision `version` once its write is done, unless a later decision replaced it. */
  settle(userId: string, version: number): Promise<void>;
}

export function createAdminRosterStore(client: DynamoDBClient, tableName: string): AdminRosterStore {
  // The maps must exist before a decision can be written into them; once per container is enough.
  let created: Promise<void> | undefined;
  const ensureItem = () => {
    created ??= conditionalWrite(
      client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...keys.adminRoster(), version: { N: "0" }, members: { M: {} }, decisions: { M: {} } },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": TABLE.partitionKey.name },
        }),
      ),
    ).then(
      () => undefined,
      (error: unknown) => {
        created = undefined;
        throw error;
      },
    );
    return created;
  };

  const update = async (userId: string, input: Omit<UpdateItemCommandInput, "TableName" | "Key">) => {
    await ensureItem();
    return client.send(
      new UpdateItemCommand({
        ...input,
        TableName: tableName,
        Key: keys.adminRoster(),
        ExpressionAttributeNames: { "#id": userId, ...input.ExpressionAttributeNames },
      }),
    );
  };
  const one = { N: "1" };

  return {
    async read() {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keys.adminRoster(), ConsistentRead: true }));
      return { version: Number(Item?.version?.N ?? 0), members: new Set(Object.keys(Item?.members?.M ?? {})) };
    },

    async decideJoin(userId) {
      // Both SETs read the version from before the update, so the decision gets the new version.
      const { Attributes } = await update(userId, {
        UpdateExpression: "SET version = version + :one, decisions.#id = version + :one",
        ExpressionAttributeValues: { ":one": one },
        ReturnValues: "UPDATED_NEW",
      });
      return Number(Attributes?.version?.N);
    },

    async decideLeave(userId, seenVersion) {
      const next = seenVersion + 1;
      const decided = await conditionalWrite(
        update(userId, {
          UpdateExpression: "SET version = :next, decisions.#id = :next REMOVE members.#id",
          ConditionExpression: "version = :seen",
          ExpressionAttributeValues: { ":seen": { N: String(seenVersion) }, ":next": { N: String(next) } },
        }),
      );
      return decided ? next : undefined;
    },

    async decideLeaveAsNonMember(userId) {
      try {
        const { Attributes } = await update(userId, {
          UpdateExpression: "SET version = version + :one, decisions.#id = version + :one",
          ConditionExpression: "attribute_not_exists(members.#id)",
          ExpressionAttributeValues: { ":one": one },
          ReturnValues: "UPDATED_NEW",
        });
        return Number(Attributes?.version?.N);
      } catch (error) {
        if (error instanceof Error && error.name === "ConditionalCheckFailedException") return undefined;
        throw error;
      }
    },

    admit(userId, version) {
      // The version moves on, so a decision to take someone off that was checked without this member is made again.
      return conditionalWrite(
        update(userId, {
          UpdateExpression: "SET members.#id = :version, version = version + :one REMOVE decisions.#id",
          ConditionExpression: "decisions.#id = :version",
          ExpressionAttributeValues: { ":version": { N: String(version) }, ":one": one },
        }),
      );
    },

    async settle(userId, version) {
      await conditionalWrite(
        update(userId, {
          UpdateExpression: "REMOVE decisions.#id",
          ConditionExpression: "decisions.#id = :version",
          ExpressionAttributeValues: { ":version": { N: String(version) } },
        }),
      );
    },
  };
}
