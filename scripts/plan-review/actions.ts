/** What a change's `actions` list means, and which of them destroy the real object. */
export type Action = "create" | "update" | "replace" | "delete" | "forget" | "read" | "no-op";

/** The actions counted in a summary, in the order shown; no-op and read are left out. */
export const COUNTED_ACTIONS = ["create", "update", "replace", "delete", "forget"] as const;

export interface Classified {
  action: Action;
  /** For a replacement: which happens first. */
  order?: "create-before-destroy" | "destroy-before-create";
}

export class UnknownActionsError extends Error {}

export function classify(actions: readonly string[]): Classified {
  const key = actions.join(",");
  switch (key) {
    case "no-op":
    case "create":
    case "read":
    case "update":
    case "delete":
    case "forget":
      return { action: key };
    case "delete,create":
      return { action: "replace", order: "destroy-before-create" };
    case "create,delete":
      return { action: "replace", order: "create-before-destroy" };
  }
  throw new UnknownActionsError(`unknown actions [${actions.join(", ")}]`);
}

/** Deleting or replacing destroys the existing object; forgetting keeps it (Terraform only stops managing it). */
export function isDestructive(action: Action): boolean {
  return action === "delete" || action === "replace";
}
