/**
 * The local table gains the users-by-id index: DynamoDB (and DynamoDB Local) add it to the table in place,
 * dynalite cannot, so there the table is copied into a new one. Either way every item is kept, also when
 * the copy was cut short.
 */
import { randomUUID } from "node:crypto";
import {
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { USERS_BY_ID } from "../../lambda/src/data/table.js";
import { ensureTable } from "../../scripts/lib/table-setup.js";
import { describeOnEachEngine } from "../support/engines.js";

const ITEMS: Record<string, AttributeValue>[] = [
  {
    pk: { S: "user#old.timer" },
    id: { S: "6f1c2a4e-0b7d-4c1e-9a3f-2d5e8b7c6a10" },
    username: { S: "old.timer" },
    createdAt: { S: "2025-01-01T00:00:00.000Z" },
  },
  {
    pk: { S: "user#second.user" },
    id: { S: "7a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d" },
    username: { S: "second.user" },
    createdAt: { S: "2025-02-01T00:00:00.000Z" },
  },
  { pk: { S: "refresh#abc" }, userId: { S: "6f1c2a4e-0b7d-4c1e-9a3f-2d5e8b7c6a10" }, expiresAt: { N: "1999999999" } },
  { pk: { S: "login-attempts#old.timer" }, attempts: { N: "2" } },
];

describeOnEachEngine("table setup", (context) => {
  const client = () => context().client;
  // dynalite cannot add an index to a table: the local stack has its table copied instead, as here.
  const options = () => ({ recreateToAddIndexes: context().engine.name === "dynalite" });
  /** As the table was before the index; usable once ACTIVE (dynalite refuses items for a table still CREATING). */
  async function createWithoutIndex(tableName: string) {
    await client().send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      }),
    );
    await waitUntilTableExists({ client: client(), maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { TableName: tableName });
  }
  const put = (tableName: string, items: Record<string, AttributeValue>[]) =>
    Promise.all(items.map((Item) => client().send(new PutItemCommand({ TableName: tableName, Item }))));
  const itemsOf = async (tableName: string) => {
    const { Items = [] } = await client().send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
    return Items.map((item) => JSON.stringify(item, Object.keys(item).sort())).sort();
  };
  const exists = (tableName: string) =>
    client()
      .send(new DescribeTableCommand({ TableName: tableName }))
      .then(
        () => true,
        (error) => {
          if (error instanceof ResourceNotFoundException) return false;
          throw error;
        },
      );
  async function expectUsableIndex(tableName: string) {
    const { Table } = await client().send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).to.deep.equal([USERS_BY_ID.name]);
    const { Items = [] } = await client().send(
      new QueryCommand({
        TableName: tableName,
        IndexName: USERS_BY_ID.name,
        KeyConditionExpression: "id = :id",
        ExpressionAttributeValues: { ":id": ITEMS[0]!.id! },
      }),
    );
    expect(Items.map((item) => item.pk?.S)).to.deep.equal(["user#old.timer"]);
  }
  const expected = () => ITEMS.map((item) => JSON.stringify(item, Object.keys(item).sort())).sort();

  it("creates a new table with the index", async () => {
    const tableName = `setup-${randomUUID()}`;
    expect(await ensureTable(client(), tableName)).to.equal(true);
    await put(tableName, ITEMS);
    await expectUsableIndex(tableName);
    expect(await ensureTable(client(), tableName), "a second run changes nothing").to.equal(false);
  });

  it("gives a table made before the index its index, keeping every item", async () => {
    const tableName = `setup-${randomUUID()}`;
    await createWithoutIndex(tableName);
    await put(tableName, ITEMS);
    expect(await ensureTable(client(), tableName, options())).to.equal(false);
    expect(await itemsOf(tableName)).to.deep.equal(expected());
    await expectUsableIndex(tableName);
    expect(await exists(`${tableName}-migrating`)).to.equal(false);
  });

  it("finishes a copy that was complete when it was cut short, the table already gone", async () => {
    const tableName = `setup-${randomUUID()}`;
    await createWithoutIndex(`${tableName}-migrating`);
    await put(`${tableName}-migrating`, [...ITEMS, { pk: { S: "migration#copy-complete" } }]);
    await ensureTable(client(), tableName);
    expect(await itemsOf(tableName)).to.deep.equal(expected());
    await expectUsableIndex(tableName);
    expect(await exists(`${tableName}-migrating`)).to.equal(false);
  });

  it("drops a copy that was cut short before it was complete, leaving the table as it was", async () => {
    const tableName = `setup-${randomUUID()}`;
    await createWithoutIndex(tableName);
    await put(tableName, ITEMS);
    await createWithoutIndex(`${tableName}-migrating`);
    await put(`${tableName}-migrating`, ITEMS.slice(0, 1));
    await ensureTable(client(), tableName, options());
    expect(await itemsOf(tableName)).to.deep.equal(expected());
    await expectUsableIndex(tableName);
    expect(await exists(`${tableName}-migrating`)).to.equal(false);
  });
});
