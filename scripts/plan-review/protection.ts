/**
 * Which resources are protected (their deletion or replacement loses data), and which destructive changes
 * were allowed on purpose with --allow-destroy. Addresses match exactly, or without instance keys
 * (`module.x.aws_y.z` matches `module.x.aws_y.z["a"]`), or as a module prefix (`module.x`).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PlanInputError } from "./plan-json.js";

/** Always protected, whatever the config says. */
export const PROTECTED_TYPES = ["aws_dynamodb_table", "aws_kms_key"] as const;

export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL("./protected.json", import.meta.url));

export interface Protection {
  types: string[];
  addresses: string[];
}

export function loadProtection(path = DEFAULT_CONFIG_PATH): Protection {
  let config: { types?: unknown; addresses?: unknown };
  try {
    config = JSON.parse(readFileSync(path, "utf8")) as typeof config;
  } catch (error) {
    throw new PlanInputError(`cannot read the protection config ${path}: ${(error as Error).message}`);
  }
  const list = (value: unknown, name: string): string[] => {
    if (value === undefined) return [];
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
    throw new PlanInputError(`${path}: "${name}" must be a list of strings`);
  };
  return {
    types: [...new Set([...PROTECTED_TYPES, ...list(config.types, "types")])],
    addresses: list(config.addresses, "addresses"),
  };
}

/** `module.a["x"].aws_b.c[0]` => `module.a.aws_b.c` */
export function withoutInstanceKeys(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, "");
}

export function addressMatches(pattern: string, address: string): boolean {
  for (const candidate of new Set([address, withoutInstanceKeys(address)])) {
    if (candidate === pattern || candidate.startsWith(`${pattern}.`)) return true;
  }
  return false;
}

/** Why a resource is protected, or undefined when it is not. */
export function protectionReason(protection: Protection, resource: { address: string; type: string; mode?: string }): string | undefined {
  if (resource.mode === "data") return undefined;
  if (protection.types.includes(resource.type)) return `type ${resource.type}`;
  const listed = protection.addresses.find((pattern) => addressMatches(pattern, resource.address));
  return listed === undefined ? undefined : `listed as ${listed}`;
}
