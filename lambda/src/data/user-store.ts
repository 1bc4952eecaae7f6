import { type DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { Refusal } from "../refusal.js";
import { conditionalWrite } from "./dynamodb-client.js";
import { keys, TABLE } from "./table.js";

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  createdAt: string;
}

export interface UserStore {
  /** Creates the user, or refuses with `username-taken`: one conditional put, so concurrent sign-ups yield one account. */
  create(user: User): Promise<void>;
  findByUsername(username: string): Promise<User | undefined>;
}

export function createUserStore(client: DynamoDBClient, tableName: string): UserStore {
  return {
    async create(user) {
      const created = await conditionalWrite(
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...keys.user(user.username),
              id: { S: user.id },
              username: { S: user.username },
              passwordHash: { S: user.passwordHash },
              createdAt: { S: user.createdAt },
            },
            ConditionExpression: "attribute_not_exists(#pk)",
            ExpressionAttributeNames: { "#pk": TABLE.partitionKey.name },
          }),
        ),
      );
      if (!created) throw new Refusal("username-taken");
    },

    async findByUsername(username) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: keys.user(username), ConsistentRead: true }));
      if (!Item) return undefined;
      return {
        id: Item.id?.S ?? "",
        username: Item.username?.S ?? "",
        passwordHash: Item.passwordHash?.S ?? "",
        createdAt: Item.createdAt?.S ?? "",
      };
    },
  };
}
