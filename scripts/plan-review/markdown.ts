/**
 * The review as Markdown (a PR comment, or `make plan`'s terminal): a warning block first when protected
 * resources would be destroyed, the counts, a table of resources, the output changes.
 */
import type { ChangedAttribute } from "./attributes.js";
import type { Json } from "./plan-json.js";
import type { OutputReview, ResourceReview, Review } from "./review.js";
import { SENSITIVE, UNKNOWN } from "./sensitive.js";

const MAX_ATTRIBUTES = 12;
const MAX_VALUE = 80;

const REASONS: Record<string, string> = {
  replace_because_tainted: "the object is tainted",
  replace_because_cannot_update: "these attributes cannot be updated in place",
  replace_by_request: "replacement requested (-replace)",
  replace_by_triggers: "replace_triggered_by",
  delete_because_no_resource_config: "no longer in the configuration",
  delete_because_no_module: "its module is no longer in the configuration",
  delete_because_wrong_repetition: "count/for_each changed to a single instance",
  delete_because_count_index: "count no longer includes this index",
  delete_because_each_key: "for_each no longer includes this key",
  delete_because_no_move_target: "the target of a moved block does not exist",
  read_because_config_unknown: "configuration known only after apply",
  read_because_dependency_pending: "depends on a pending change",
};

export function renderMarkdown(review: Review): string {
  const lines: string[] = ["## Terraform plan review", ""];
  if (review.blocked.length > 0) lines.push(...blockedWarning(review.blocked), "");
  if (review.allowed.length > 0) lines.push(...allowedNote(review.allowed), "");
  if (review.incomplete) lines.push("> [!WARNING]", "> Terraform reported errors while planning: this plan is incomplete.", "");
  const forgotten = review.resources.filter((r) => r.action === "forget");
  if (forgotten.length > 0) {
    lines.push(
      "> [!NOTE]",
      `> ${forgotten.length === 1 ? "1 resource leaves" : `${forgotten.length} resources leave`} Terraform's management (\`removed\` with \`destroy = false\`): ` +
        "removed from the state only, the real objects are kept.",
      "",
    );
  }

  lines.push(`**Plan:** ${summaryLine(review)}`, "");
  if (review.resources.length > 0) {
    lines.push("| | resource | action | details |", "|---|---|---|---|");
    for (const resource of review.resources) {
      const flag = resource.destroysProtected ? (resource.allowed ? "allowed" : "**BLOCKED**") : resource.protectedBy ? "protected" : "";
      lines.push(`| ${flag} | ${cell(code(resource.address))} | ${cell(actionLabel(resource))} | ${cell(details(resource))} |`);
    }
    lines.push("");
  }
  if (review.outputs.length > 0) {
    lines.push("**Outputs:**", "", "| output | action | before | after |", "|---|---|---|---|");
    for (const output of review.outputs) lines.push(outputRow(output));
    lines.push("");
  }
  for (const pattern of review.unusedAllowances)
    lines.push(`_--allow-destroy ${code(pattern)} matched no destructive change to a protected resource._`, "");
  if (review.terraformVersion) lines.push(`<sub>Terraform ${review.terraformVersion}. Sensitive values are never shown.</sub>`, "");
  return `${lines.join("\n").trimEnd()}\n`;
}

export function summaryLine(review: Review): string {
  const { create, update, replace, delete: destroy, forget } = review.summary;
  if (review.resources.length === 0 && review.outputs.length === 0) return "no changes.";
  return (
    `${create} to create, ${update} to update, ${replace} to replace, ${destroy} to delete, ${forget} to forget` +
    (review.outputs.length > 0 ? `; ${review.outputs.length} output ${review.outputs.length === 1 ? "change" : "changes"}.` : ".")
  );
}

function blockedWarning(blocked: ResourceReview[]): string[] {
  return [
    "> [!CAUTION]",
    `> **This plan ${blocked.some((r) => r.action === "delete") ? "deletes" : "replaces"} protected resources; their data would be lost.**`,
    ...blocked.map(
      (r) =>
        `> - ${code(r.address)} (${r.protectedBy}): **${actionLabel(r)}**${r.forcedBy.length > 0 ? `, forced by ${r.forcedBy.map((f) => code(f.path)).join(", ")}` : ""}${r.reason && r.action === "delete" ? `: ${reasonText(r.reason)}` : ""}`,
    ),
    ">",
    "> If this is intended: add the `allow-destroy` label to the pull request, or run the review with " +
      blocked.map((r) => `\`--allow-destroy ${r.address}\``).join(" "),
  ];
}

function allowedNote(allowed: ResourceReview[]): string[] {
  return [
    "> [!WARNING]",
    "> Allowed with --allow-destroy: this plan destroys protected resources.",
    ...allowed.map((r) => `> - ${code(r.address)}: **${actionLabel(r)}**`),
  ];
}

function actionLabel(resource: ResourceReview): string {
  const deposed = resource.deposed ? ` (deposed object ${resource.deposed})` : "";
  if (resource.action === "replace") {
    return `replace (${resource.order === "create-before-destroy" ? "create new, then delete old" : "delete, then create"})`;
  }
  if (resource.action === "forget") return "forget (kept in AWS)";
  return `${resource.action}${deposed}`;
}

function details(resource: ResourceReview): string {
  const parts: string[] = [];
  if (resource.previousAddress) parts.push(`moved from ${code(resource.previousAddress)}`);
  if (resource.importing) parts.push("imported");
  if (resource.action === "replace") {
    if (resource.forcedBy.length > 0) {
      parts.push(`forced by ${resource.forcedBy.map((f) => `${code(f.path)} (${value(f.before)} → ${value(f.after)})`).join(", ")}`);
    }
    if (resource.reason) parts.push(reasonText(resource.reason));
  }
  if (resource.action === "update") parts.push(attributeList(resource.changedAttributes));
  if ((resource.action === "delete" || resource.action === "forget") && resource.reason) parts.push(reasonText(resource.reason));
  if (resource.action === "forget") parts.push("removed from the state only");
  if (resource.protectedBy && !resource.destroysProtected) parts.push(`protected (${resource.protectedBy})`);
  return parts.filter(Boolean).join("; ");
}

function attributeList(attributes: ChangedAttribute[]): string {
  if (attributes.length === 0) return "";
  const shown = attributes
    .slice(0, MAX_ATTRIBUTES)
    .map((a) => `${code(a.path)}${a.sensitive ? " (sensitive)" : a.unknown ? " (known after apply)" : ""}`);
  const more = attributes.length > MAX_ATTRIBUTES ? ` and ${attributes.length - MAX_ATTRIBUTES} more` : "";
  return `changes ${shown.join(", ")}${more}`;
}

function outputRow(output: OutputReview): string {
  return `| ${cell(code(output.name))} | ${output.action}${output.sensitive ? " (sensitive)" : ""} | ${cell(value(output.before))} | ${cell(value(output.after))} |`;
}

function reasonText(reason: string): string {
  return REASONS[reason] ?? reason;
}

/** A redacted value, short and on one line. */
function value(json: Json): string {
  if (json === SENSITIVE || json === UNKNOWN) return `_${json}_`;
  const text = JSON.stringify(json) ?? "null";
  return code(text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text);
}

/** An inline code span that survives any backtick inside it. */
function code(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((run) => run.length)) + 1);
  return fence.length > 1 ? `${fence} ${text} ${fence}` : `\`${text}\``;
}

/** Table cells: no line breaks, no bare pipes. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}
