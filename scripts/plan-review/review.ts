/**
 * The review of a plan: what each resource and output does, which protected resources a change would
 * destroy, and the exit status. Holds no value that is not redacted: renderers can print all of it.
 */
import { type Action, type Classified, COUNTED_ACTIONS, classify, isDestructive, UnknownActionsError } from "./actions.js";
import { type ChangedAttribute, changedAttributes, formatPath } from "./attributes.js";
import { type Change, type Json, type Plan, PlanInputError } from "./plan-json.js";
import { addressMatches, type Protection, protectionReason } from "./protection.js";
import { hasMark, isMarkedAt, marksAt, redact, SENSITIVE, UNKNOWN, withUnknown } from "./sensitive.js";

export const EXIT_OK = 0;
export const EXIT_INVALID_INPUT = 1;
export const EXIT_DESTRUCTIVE = 2;

export interface ForcingAttribute {
  path: string;
  /** Redacted: SENSITIVE under a mark, UNKNOWN when known only after apply. */
  before: Json;
  after: Json;
}

export interface ResourceReview extends Classified {
  address: string;
  type: string;
  previousAddress?: string;
  deposed?: string;
  importing?: boolean;
  /** Terraform's action_reason, e.g. replace_because_cannot_update, delete_because_no_resource_config. */
  reason?: string;
  /** For an update: the attributes that change. */
  changedAttributes: ChangedAttribute[];
  /** For a replacement: the attributes that force it (replace_paths). */
  forcedBy: ForcingAttribute[];
  /** Why the resource is protected, when it is. */
  protectedBy?: string;
  /** A destructive change (delete, or replace in either order) to a protected resource. */
  destroysProtected: boolean;
  /** ... that --allow-destroy allowed. */
  allowed: boolean;
}

export interface OutputReview {
  name: string;
  action: Action;
  sensitive: boolean;
  before: Json;
  after: Json;
}

export interface Review {
  terraformVersion?: string;
  /** Terraform could not finish the plan (errored: true); what it shows is incomplete. */
  incomplete: boolean;
  summary: Record<(typeof COUNTED_ACTIONS)[number], number>;
  /** Every managed resource with something to do (no-ops and data source reads left out). */
  resources: ResourceReview[];
  outputs: OutputReview[];
  /** Destructive changes to protected resources not allowed: any of them makes the exit status 2. */
  blocked: ResourceReview[];
  /** Destructive changes to protected resources allowed with --allow-destroy. */
  allowed: ResourceReview[];
  /** --allow-destroy addresses that matched no destructive change. */
  unusedAllowances: string[];
  exitCode: typeof EXIT_OK | typeof EXIT_DESTRUCTIVE;
}

export interface ReviewOptions {
  protection: Protection;
  allowDestroy?: string[];
}

export function reviewPlan(plan: Plan, { protection, allowDestroy = [] }: ReviewOptions): Review {
  const resources: ResourceReview[] = [];
  for (const change of plan.resource_changes ?? []) {
    if (change.mode === "data") continue;
    const classified = classifyOrFail(change.change.actions, change.address);
    if (classified.action === "no-op" || classified.action === "read") continue;
    const protectedBy = protectionReason(protection, change);
    const destroysProtected = protectedBy !== undefined && isDestructive(classified.action);
    resources.push({
      address: change.address,
      type: change.type,
      ...classified,
      ...(change.previous_address && change.previous_address !== change.address ? { previousAddress: change.previous_address } : {}),
      ...(change.deposed ? { deposed: change.deposed } : {}),
      ...(change.change.importing ? { importing: true } : {}),
      ...(change.action_reason ? { reason: change.action_reason } : {}),
      changedAttributes: classified.action === "update" ? changedAttributes(change.change) : [],
      forcedBy: classified.action === "replace" ? forcingAttributes(change.change) : [],
      ...(protectedBy ? { protectedBy } : {}),
      destroysProtected,
      allowed: destroysProtected && allowDestroy.some((pattern) => addressMatches(pattern, change.address)),
    });
  }

  const declared = plan.configuration?.root_module?.outputs ?? {};
  const outputs: OutputReview[] = [];
  for (const [name, change] of Object.entries(plan.output_changes ?? {})) {
    const { action } = classifyOrFail(change.actions, `output ${name}`);
    if (action === "no-op") continue;
    const sensitive = declared[name]?.sensitive === true || hasMark(change.before_sensitive) || hasMark(change.after_sensitive);
    outputs.push({
      name,
      action,
      sensitive,
      before: sensitive ? (change.before == null ? null : SENSITIVE) : redact(change.before ?? null, change.before_sensitive),
      after:
        change.after_unknown === true
          ? UNKNOWN
          : sensitive
            ? change.after == null
              ? null
              : SENSITIVE
            : redact(withUnknown(change.after ?? null, change.after_unknown), change.after_sensitive),
    });
  }

  const summary = Object.fromEntries(
    COUNTED_ACTIONS.map((action) => [action, resources.filter((r) => r.action === action).length]),
  ) as Review["summary"];
  const blocked = resources.filter((r) => r.destroysProtected && !r.allowed);
  const allowed = resources.filter((r) => r.allowed);
  return {
    ...(plan.terraform_version ? { terraformVersion: plan.terraform_version } : {}),
    incomplete: plan.errored === true,
    summary,
    resources,
    outputs,
    blocked,
    allowed,
    unusedAllowances: allowDestroy.filter((pattern) => !allowed.some((r) => addressMatches(pattern, r.address))),
    exitCode: blocked.length > 0 ? EXIT_DESTRUCTIVE : EXIT_OK,
  };
}

function classifyOrFail(actions: string[], where: string): Classified {
  try {
    return classify(actions);
  } catch (error) {
    if (error instanceof UnknownActionsError) throw new PlanInputError(`${where}: ${error.message}`);
    throw error;
  }
}

/** replace_paths with their values before and after, redacted. */
function forcingAttributes(change: Change): ForcingAttribute[] {
  return (change.replace_paths ?? []).map((path) => ({
    path: formatPath(path),
    before: valueAt(change.before, path, change.before_sensitive),
    after: isMarkedAt(change.after_unknown, path) ? UNKNOWN : valueAt(change.after, path, change.after_sensitive),
  }));
}

function valueAt(value: Json | undefined, path: (string | number)[], marks: Change["before_sensitive"]): Json {
  if (isMarkedAt(marks, path)) return SENSITIVE;
  let current: Json | undefined = value;
  for (const step of path) {
    if (current === null || current === undefined || typeof current !== "object") return null;
    current = Array.isArray(current) ? current[step as number] : (current as Record<string, Json>)[String(step)];
  }
  return redact(current ?? null, marksAt(marks, path));
}
