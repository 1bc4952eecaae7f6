import type { AdminRosterStore } from "../data/admin-roster-store.js";
import type { StandingChange, User, UserStore } from "../data/user-store.js";
import { Refusal } from "../refusal.js";
import { ADMIN, type Role } from "./roles.js";

export interface AccountStanding {
  /** Sets the user's roles; `last-admin` if that would leave no enabled admin, `user-not-found` if the user is gone. */
  setRoles(target: User, roles: readonly Role[]): Promise<User>;
  /** Disables the account and ends its sessions at once; `last-admin` for the last enabled admin. */
  disable(target: User): Promise<User>;
  enable(target: User): Promise<User>;
  /**
   * DELETE /me: deletes the account (an admin leaves the roster first; deleting one's own account is never
   * refused for being the last admin). False when the password or the caller's session changed meanwhile.
   */
  deleteAccount(user: User, condition: { passwordHash: string; callerSessionId: string }): Promise<boolean>;
}

/** How often a change is decided anew after losing a race for the roster or the user item. */
const MAX_ROUNDS = 5;

const isEnabledAdmin = (user: User) => user.roles.includes(ADMIN) && !user.disabled;

/**
 * The last-admin rule with single-item conditional writes only (DESIGN.md decision 5). Access is decided
 * by the user items (the access check reads nothing else); the roster item (data/admin-roster-store.ts)
 * lists enabled admins, and the rule rests on one invariant: **every member of the roster is an enabled
 * admin in its user item.** Then a roster that keeps a member keeps an admin, and a decision to take an
 * admin off is made only when another member remains, at the roster version it was checked at, so two
 * admins demoting or disabling each other at once cannot both succeed.
 *
 * Why the invariant holds: every change of a user's standing is first decided in the roster (which gives
 * it a version), then written to the user item with that version, and a write for an older decision than
 * the item holds is dropped (and decided anew). A change that can end a user's standing (demotion,
 * disable, deletion) takes the user off the roster in its decision, before its write. A change that can
 * make one (a grant, an enable) puts the user on only after its own write has left an enabled admin, and
 * only while its decision is still the latest about that user: any later decision would have been made
 * before that, and any change decided after it is a later decision that takes the user off first.
 */
export function createAccountStanding(users: UserStore, roster: AdminRosterStore): AccountStanding {
  /** A decision to take `target` off the roster; with `guarded`, refused when it is the last enabled admin. */
  async function leave(target: User, guarded: boolean): Promise<number> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const state = await roster.read();
      const counts = isEnabledAdmin(target) || state.members.has(target.id);
      if (guarded && counts && ![...state.members].some((id) => id !== target.id)) throw new Refusal("last-admin");
      // Someone who is no admin changes no count: deciding it at a version would only make concurrent admin
      // actions on different users (a bulk disable) lose races for nothing.
      const version = counts ? await roster.decideLeave(target.id, state.version) : await roster.decideLeaveAsNonMember(target.id);
      if (version !== undefined) return version;
    }
    throw new Refusal("contention");
  }

  async function change(target: User, standing: StandingChange): Promise<User> {
    const joining = "roles" in standing ? standing.roles.includes(ADMIN) : !standing.disabled;
    let current = target;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const version = joining ? await roster.decideJoin(current.id) : await leave(current, true);
      let admitted = false;
      try {
        const updated = await users.applyStanding(current, standing, version);
        if (updated) {
          if (joining && isEnabledAdmin(updated)) admitted = await roster.admit(current.id, version);
          return updated;
        }
      } finally {
        if (!admitted) await roster.settle(current.id, version);
      }
      // The user is gone, or a later decision about it was written first: read it again and decide anew.
      const reread = await users.findByUsername(current.username);
      if (reread?.id !== current.id) throw new Refusal("user-not-found");
      current = reread;
    }
    throw new Refusal("contention");
  }

  return {
    setRoles: (target, roles) => change(target, { roles }),
    disable: (target) => change(target, { disabled: true }),
    enable: (target) => change(target, { disabled: false }),

    async deleteAccount(user, { passwordHash, callerSessionId }) {
      let current = user;
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const version = current.roles.includes(ADMIN) ? await leave(current, false) : undefined;
        try {
          if (await users.delete(current, { passwordHash, callerSessionId, standingVersion: current.standingVersion })) return true;
        } finally {
          if (version !== undefined) await roster.settle(current.id, version);
        }
        // Only an admin's change of the standing is a reason to try again; anything else ended the caller's session.
        const reread = await users.findByUsername(current.username);
        const unchanged = reread?.id === current.id && reread.passwordHash === passwordHash && reread.sessions.has(callerSessionId);
        if (!reread || !unchanged || reread.standingVersion === current.standingVersion) {
          // Refused, so an admin this attempt took off the roster goes back on (the roster must not forget an admin).
          if (version !== undefined && reread?.id === current.id && isEnabledAdmin(reread)) await change(reread, { roles: reread.roles });
          return false;
        }
        current = reread;
      }
      throw new Refusal("contention");
    },
  };
}
