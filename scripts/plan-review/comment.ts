/**
 * The body of the one sticky PR comment: a hidden marker (how the workflow finds the comment to update),
 * the review, and, when that is longer than GitHub allows, the review cut at a line with a pointer to the
 * plan artifact.
 */
export const COMMENT_MARKER = "<!-- plan-review: sticky comment, updated on each push -->";
/** GitHub refuses comment bodies over 65,536 characters; stay at 65,535. */
export const GITHUB_COMMENT_LIMIT = 65_535;

export interface CommentOptions {
  /** Where the full review and the readable plan are: the uploaded artifact's URL. */
  artifactUrl: string;
  limit?: number;
}

export function buildComment(review: string, { artifactUrl, limit = GITHUB_COMMENT_LIMIT }: CommentOptions): string {
  const link = artifactUrl ? `[the plan artifact](${artifactUrl})` : "the plan artifact of this workflow run";
  const whole = `${COMMENT_MARKER}\n${review.trimEnd()}\n\n<sub>Full plan: ${link}.</sub>\n`;
  if (length(whole) <= limit) return whole;
  const footer = `\n\n---\n**Cut to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit.** The full review and the plan are in ${link}.\n`;
  const room = limit - length(COMMENT_MARKER) - 1 - length(footer);
  if (room <= 0) throw new Error(`a limit of ${limit} leaves no room for the review`);
  // Cut by code points (never inside a surrogate pair), then back to the last whole line.
  const head = Array.from(review).slice(0, room).join("");
  const cut = head.lastIndexOf("\n") > 0 ? head.slice(0, head.lastIndexOf("\n")) : head;
  return `${COMMENT_MARKER}\n${cut}${footer}`;
}

/** GitHub counts characters; count code points so an emoji is never split. */
function length(text: string): number {
  return Array.from(text).length;
}
