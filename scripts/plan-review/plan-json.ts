/**
 * The parts of `terraform show -json PLANFILE` (format 1.x) the review reads, and the check that an input
 * is such a plan. https://developer.hashicorp.com/terraform/internals/json-format
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Mirrors a value: `true` where the value (or everything under it) is sensitive or unknown. */
export type Marks = boolean | Marks[] | { [key: string]: Marks } | null | undefined;

export interface Change {
  actions: string[];
  before?: Json;
  after?: Json;
  after_unknown?: Marks;
  before_sensitive?: Marks;
  after_sensitive?: Marks;
  replace_paths?: (string | number)[][];
  importing?: { id?: string } | null;
}

export interface ResourceChange {
  address: string;
  previous_address?: string;
  module_address?: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  index?: string | number;
  deposed?: string;
  action_reason?: string;
  change: Change;
}

export interface Plan {
  format_version: string;
  terraform_version?: string;
  resource_changes?: ResourceChange[];
  output_changes?: Record<string, Change>;
  configuration?: { root_module?: { outputs?: Record<string, { sensitive?: boolean }> } };
  errored?: boolean;
  complete?: boolean;
}

/** The input is not a plan: exit status 1, with this message. */
export class PlanInputError extends Error {}

const HINT = "expected the output of `terraform show -json PLANFILE`";

/** Parses and checks `text`; `source` names it in messages (a path, or "stdin"). */
export function parsePlan(text: string, source: string): Plan {
  if (text.trim() === "") throw new PlanInputError(`${source} is empty: ${HINT}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PlanInputError(`${source} is not JSON (${(error as Error).message}): ${HINT}`);
  }
  if (!isObject(value)) throw new PlanInputError(`${source} is JSON but not an object: ${HINT}`);
  if (typeof value.format_version !== "string") {
    throw new PlanInputError(`${source} has no format_version, so it is not Terraform JSON output: ${HINT}`);
  }
  if (!value.format_version.startsWith("1.")) {
    throw new PlanInputError(`${source} has format_version ${value.format_version}; this review reads format 1.x`);
  }
  if (!("planned_values" in value) && !("resource_changes" in value)) {
    const what = "values" in value ? "a state (terraform show -json without a plan file)" : "not a plan";
    throw new PlanInputError(`${source} is ${what}: ${HINT}`);
  }
  const changes = value.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new PlanInputError(`${source}: resource_changes is not a list: ${HINT}`);
  changes.forEach((change, index) => {
    if (
      !isObject(change) ||
      typeof change.address !== "string" ||
      typeof change.type !== "string" ||
      !isObject(change.change) ||
      !isStringList(change.change.actions)
    ) {
      throw new PlanInputError(`${source}: resource_changes[${index}] has no address, type or change.actions: ${HINT}`);
    }
  });
  if (value.output_changes !== undefined && !isObject(value.output_changes)) {
    throw new PlanInputError(`${source}: output_changes is not an object: ${HINT}`);
  }
  for (const [name, output] of Object.entries((value.output_changes ?? {}) as Record<string, unknown>)) {
    if (!isObject(output) || !isStringList(output.actions))
      throw new PlanInputError(`${source}: output_changes.${name} has no actions: ${HINT}`);
  }
  return value as unknown as Plan;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
