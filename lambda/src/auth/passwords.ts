import bcrypt from "bcryptjs";

/** The two bcrypt operations, injectable so tests can count them. */
export interface Bcrypt {
  hash(password: string, cost: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
}

export interface Passwords {
  hash(password: string): Promise<string>;
  /**
   * Runs exactly one bcrypt compare whether or not there is a stored hash, so an unknown
   * username costs the same time as a wrong password.
   */
  verify(password: string, storedHash: string | undefined): Promise<boolean>;
}

/** Valid hashes of throw-away random passwords, one per allowed cost; precomputed so cold starts never pay for them. */
const DUMMY_HASHES: Readonly<Record<number, string>> = {
  10: "$2b$10$4iQvPKvupXu0Si9qe65Nx.jI3lzjjJq2OklOi/y9hPvniy9YW4cY2",
  11: "$2b$11$zg4U9505zbA9LgNVSpKYTOfMLaGjKk6/X1F3liUp8DuUZqUoqvjb2",
  12: "$2b$12$uLGlk9VzfJQCpTyjvEVzGOaa0.AvngIGdX/lSDd6lsdYOqIS.PBfm",
  13: "$2b$13$8AxVQ8/VTinDoPsPf8MnueLYKygjEHgeB0t7K3dnsPM0L6gSNrmNK",
  14: "$2b$14$QcFOQhC26ZCjBAqwPTh8OOtZW5Ip6TBDb7NV3KdnRQ1NPJm.c6f7e",
};

export function createPasswords(cost: number, implementation: Bcrypt = bcrypt): Passwords {
  const dummyHash = DUMMY_HASHES[cost];
  if (dummyHash === undefined) throw new RangeError(`no dummy hash for bcrypt cost ${cost}`);
  return {
    hash: (password) => implementation.hash(password, cost),
    async verify(password, storedHash) {
      const matches = await implementation.compare(password, storedHash ?? dummyHash);
      return storedHash !== undefined && matches;
    },
  };
}
