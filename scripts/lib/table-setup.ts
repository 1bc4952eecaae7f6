import {
  type AttributeDefinition,
  type AttributeValue,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  type GlobalSecondaryIndex,
  PutItemCommand,
  ResourceNotFoundException,
  ScanCommand,
  type TableDescription,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import TABLE from "../../lambda/src/data/table-definition.json" with { type: "json" };

type IndexDefinition = (typeof TABLE.globalSecondaryIndexes)[number];

/**
 * Creates the table from the shared definition unless it exists, and adds any index it lacks; returns
 * whether it was created. DynamoDB and DynamoDB Local add an index to a table in place; dynalite cannot,
 * so for it (`recreateToAddIndexes`, the embedded database of the local stack) the table is copied into a
 * new one that has the indexes, every item kept.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string, { recreateToAddIndexes = false } = {}): Promise<boolean> {
  await finishMigration(client, tableName);
  const existing = await describe(client, tableName);
  if (!existing) {
    await create(client, tableName);
    return true;
  }
  const missing = TABLE.globalSecondaryIndexes.filter(
    (index) => !existing.GlobalSecondaryIndexes?.some((gsi) => gsi.IndexName === index.name),
  );
  if (missing.length > 0 && recreateToAddIndexes) {
    await migrate(client, tableName);
    return false;
  }
  // One index at a time: DynamoDB builds one per UpdateTable.
  for (const index of missing) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(),
        GlobalSecondaryIndexUpdates: [{ Create: globalSecondaryIndex(index) }],
      }),
    );
    await waitUntilActive(client, tableName);
  }
  return false;
}

function attributeDefinitions(): AttributeDefinition[] {
  const keys = [TABLE.partitionKey, ...TABLE.globalSecondaryIndexes.map((index) => index.partitionKey)];
  const unique = new Map(keys.map(({ name, type }) => [name, type as "S"]));
  return [...unique].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

function globalSecondaryIndex(index: IndexDefinition): GlobalSecondaryIndex {
  return {
    IndexName: index.name,
    KeySchema: [{ AttributeName: index.partitionKey.name, KeyType: "HASH" }],
    Projection: { ProjectionType: index.projectionType as "INCLUDE", NonKeyAttributes: index.nonKeyAttributes },
  };
}

async function create(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: attributeDefinitions(),
      KeySchema: [{ AttributeName: TABLE.partitionKey.name, KeyType: "HASH" }],
      GlobalSecondaryIndexes: TABLE.globalSecondaryIndexes.map(globalSecondaryIndex),
    }),
  );
  // No TTL here, unlike the deployed table (modules/dynamodb_table): nothing depends on it, as the code
  // checks every expiry itself and TTL only cleans up; dynalite has no TTL API, and DynamoDB Local's TTL
  // sweeper, in make test, more than doubled the integration suites' time and kept a new index CREATING
  // for minutes.
  await waitUntilActive(client, tableName);
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  for (;;) {
    const table = await describe(client, tableName);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === "ACTIVE");
    if (table?.TableStatus === "ACTIVE" && indexesActive) return table;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function remove(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  while (await describe(client, tableName)) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Written last into the copy, so a copy without it is known to be incomplete. */
const COPY_COMPLETE = { [TABLE.partitionKey.name]: { S: "migration#copy-complete" } };
const copyName = (tableName: string) => `${tableName}-migrating`;

async function copyItems(client: DynamoDBClient, from: string, to: string): Promise<void> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: from, ConsistentRead: true, ExclusiveStartKey: start }));
    const items = (page.Items ?? []).filter((item) => item[TABLE.partitionKey.name]?.S !== COPY_COMPLETE[TABLE.partitionKey.name]!.S);
    await Promise.all(items.map((item) => client.send(new PutItemCommand({ TableName: to, Item: item }))));
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Recreates the table with the definition's indexes, keeping every item: copies them into a second table,
 * marks the copy complete, then replaces the table and copies them back. A migration cut short anywhere
 * either starts again (an incomplete copy, with the table untouched) or finishes at the next start.
 */
async function migrate(client: DynamoDBClient, tableName: string): Promise<void> {
  const copy = copyName(tableName);
  await create(client, copy);
  await copyItems(client, tableName, copy);
  await client.send(new PutItemCommand({ TableName: copy, Item: COPY_COMPLETE }));
  await remove(client, tableName);
  await finishMigration(client, tableName);
}

async function finishMigration(client: DynamoDBClient, tableName: string): Promise<void> {
  const copy = copyName(tableName);
  if (!(await describe(client, copy))) return;
  const { Item } = await client.send(new GetItemCommand({ TableName: copy, Key: COPY_COMPLETE, ConsistentRead: true }));
  // An incomplete copy: the table itself was never touched.
  if (!Item) return remove(client, copy);
  if (!(await describe(client, tableName))) await create(client, tableName);
  await copyItems(client, copy, tableName);
  await remove(client, copy);
}
