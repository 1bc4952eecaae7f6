import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, realpathSync } from "node:fs";
import { relative } from "node:path";
import { expect } from "chai";
import { type RouteTable, routeManifest } from "../../lambda/src/router.js";
import { routes } from "../../lambda/src/routes.js";

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const build = () => execFileSync("npx", ["tsx", "scripts/build.ts"], { stdio: "pipe" });

describe("build", function () {
  this.timeout(120_000);

  it("gives a byte-identical zip for the same sources", () => {
    build();
    const first = sha256("build/lambda.zip");
    build();
    expect(sha256("build/lambda.zip")).to.equal(first);
  });

  it("writes the route manifest from the route table", () => {
    const manifest = JSON.parse(readFileSync("build/routes.json", "utf8"));
    expect(manifest).to.deep.equal(routeManifest(routes));
    expect(manifest).to.deep.include({ routeKey: "GET /me", auth: "jwt" });
    expect(manifest).to.deep.include({ routeKey: "GET /admin/users", auth: "jwt", scopes: ["admin"] });
  });

  it("writes the scopes of every route that requires them, and of no other", () => {
    const manifest = JSON.parse(readFileSync("build/routes.json", "utf8")) as { routeKey: string; scopes?: string[] }[];
    for (const [routeKey, route] of Object.entries(routes as RouteTable)) {
      const scopes = route.auth === "jwt" && route.scopes?.length ? [...route.scopes] : undefined;
      expect(manifest.find((entry) => entry.routeKey === routeKey)?.scopes, routeKey).to.deep.equal(scopes);
    }
    const admin = manifest.filter((entry) => entry.routeKey.includes("/admin/"));
    expect(admin).to.have.length(6);
    for (const entry of admin) expect(entry.scopes, entry.routeKey).to.deep.equal(["admin"]);
  });

  it("keeps scripts and tests out of the bundle", () => {
    const { inputs } = JSON.parse(readFileSync("build/meta.json", "utf8")) as { inputs: Record<string, unknown> };
    // esbuild names a dependency by its real path, which is elsewhere when node_modules is a link (shared by worktrees).
    const dependencies = ["node_modules/", `${relative(process.cwd(), realpathSync("node_modules"))}/`];
    const own = Object.keys(inputs).filter((path) => !dependencies.some((folder) => path.startsWith(folder)));
    expect(own.length).to.be.greaterThan(10);
    for (const path of own) expect(path).to.match(/^lambda\/(src|shared)\//);
  });
});
