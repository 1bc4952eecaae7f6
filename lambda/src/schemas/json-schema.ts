/**
 * A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), as the route table declares its requests and
 * responses. Plain data: the build compiles the request schemas to validators (requests/validators.generated.ts)
 * and writes all of them into build/openapi.json.
 */
export interface JsonSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean" | "null" | readonly ("string" | "null")[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: readonly unknown[];
  const?: unknown;
  examples?: readonly unknown[];
  [keyword: string]: unknown;
}

/** An object with exactly these properties, all of them required unless `optional` names them. */
export function object(
  properties: Record<string, JsonSchema>,
  extra: { optional?: readonly string[]; description?: string } = {},
): JsonSchema {
  const optional = extra.optional ?? [];
  return {
    type: "object",
    ...(extra.description === undefined ? {} : { description: extra.description }),
    properties,
    required: Object.keys(properties).filter((name) => !optional.includes(name)),
    additionalProperties: false,
  };
}
