/**
 * Mozilla's fxa-common-password-list (the Firefox Accounts check): the 50,000 most common passwords of 8 or
 * more characters, lower-cased, from the SecLists "10 million password list" (top 1M). About 240 KB, so it
 * is imported on first use only: the bundle keeps it in a chunk of its own, which the cold start of any
 * route that never sets a password does not load.
 */
let list: Promise<{ test(password: string): boolean }> | undefined;

export async function isCommonPassword(password: string): Promise<boolean> {
  list ??= import("fxa-common-password-list").then((module) => module.default);
  // The list is lower case, so the comparison ignores case, as the contract asks.
  return (await list).test(password.toLowerCase());
}
