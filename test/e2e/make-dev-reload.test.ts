/**
 * `make dev` redeploys what a saved file changes: run in a copy of the project (so the test can edit its
 * sources without touching the repository's), it must serve an edited handler and a new route without a
 * restart, keep the accounts made before, and keep serving the last good bundle through a broken build.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { freePort } from "../../scripts/lib/free-port.js";
import { postJson, request } from "../support/http.js";
import { type MakeDev, makeDev, stopMakeDev, until } from "../support/make-dev.js";

/** What `make dev` needs of the project; timestamps kept, so make does not think node_modules is stale. */
const PROJECT_FILES = [
  "Makefile",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "lambda",
  "scripts",
  "terraform/gateway-settings.json",
];

function copyProject(): string {
  const copy = mkdtempSync(join(tmpdir(), "auth-dev-reload-"));
  for (const path of PROJECT_FILES) cpSync(path, join(copy, path), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(process.cwd(), "node_modules"), join(copy, "node_modules"));
  return copy;
}

describe("make dev, while files change", function () {
  this.timeout(180_000);
  let project: string;
  let dev: MakeDev;
  let base: string;
  const edit = (path: string, change: (text: string) => string) =>
    writeFileSync(join(project, path), change(readFileSync(join(project, path), "utf8")));

  before(async () => {
    project = copyProject();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dev = await makeDev(port, join(project, ".local"), project);
  });
  after(async () => {
    if (dev) await stopMakeDev(dev.child);
    rmSync(project, { recursive: true, force: true });
  });

  const credentials = { username: "before.edit", password: "made before the edit" };

  it("serves an edited handler without a restart, and accounts made before it still log in", async () => {
    expect((await postJson(`${base}/register`, credentials)).status).to.equal(201);
    edit("lambda/src/handlers/health.ts", (text) => text.replace('{ status: "ok" }', '{ status: "ok", edited: true }'));
    const took = await until("the edited GET /health", async () => (await request(`${base}/health`)).json?.edited === true, dev);
    console.log(`      (served the edit ${took} ms after the save)`);
    expect(dev.output()).to.match(/make dev: rebuilt and redeployed in \d+ ms/);
    expect((await postJson(`${base}/login`, credentials)).status).to.equal(200);
  });

  it("serves a route added to the route table", async () => {
    expect((await request(`${base}/added-on-save`)).status).to.equal(404);
    writeFileSync(
      join(project, "lambda/src/handlers/added-on-save.ts"),
      'import { json, type Reply } from "../http/responses.js";\n\nexport async function addedOnSave(): Promise<Reply> {\n  return json(200, { added: "on save" });\n}\n',
    );
    edit("lambda/src/routes.ts", (text) =>
      text
        .replace(
          'import { health } from "./handlers/health.js";',
          'import { health } from "./handlers/health.js";\nimport { addedOnSave } from "./handlers/added-on-save.js";',
        )
        .replace(
          '  "GET /health": {',
          '  "GET /added-on-save": { auth: "public", handler: addedOnSave, summary: "Added", responses: { 200: { description: "Added" } }, problems: [] },\n  "GET /health": {',
        ),
    );
    await until("GET /added-on-save", async () => (await request(`${base}/added-on-save`)).status === 200, dev);
    expect((await request(`${base}/added-on-save`)).json).to.deep.equal({ added: "on save" });
  });

  it("prints a build error and keeps serving the last good bundle", async () => {
    const printed = dev.output().length;
    edit("lambda/src/handlers/health.ts", (text) => `${text}\nexport const broken = (;\n`);
    await until(
      "the build error",
      async () => dev.output().slice(printed).includes("the build failed; still serving the last good bundle"),
      dev,
    );
    expect(dev.output().slice(printed)).to.include("health.ts");
    expect((await request(`${base}/health`)).json).to.deep.equal({ status: "ok", edited: true });
    expect((await postJson(`${base}/login`, credentials)).status).to.equal(200);
  });
});
