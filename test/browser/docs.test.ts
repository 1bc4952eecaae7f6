/**
 * The API reference page (`make docs`, served by make dev's gateway at /docs) in a real browser: it loads
 * nothing beyond loopback, lists every route of build/routes.json in its sidebar and shows each one's method
 * and path when chosen there. A screenshot is left at build/docs/screenshot.png for a person to look at.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { buildDocs, DOCS_PAGE, OPENAPI_FILE } from "../../scripts/docs/build.js";
import type { RouteManifestEntry } from "../../scripts/gateway-emulator/settings.js";
import { ROUTES_FILE } from "../../scripts/lib/local-stack.js";
import { type LoopbackBrowser, launchLoopbackBrowser } from "../support/browser.js";
import { startTestStack } from "../support/stack.js";

const SCREENSHOT = join(DOCS_PAGE, "../screenshot.png");

const routes = JSON.parse(readFileSync(ROUTES_FILE, "utf8")) as RouteManifestEntry[];

/** What the page showed for one operation of its sidebar, once chosen there. */
interface ShownOperation {
  method: string;
  label: string;
  heading: string;
  text: string;
}

const MENU_ITEM = '[data-component-name="Menu/MenuItem"]';

/**
 * Opens each group of the sidebar (Redoc shows one tag's operations at a time) and chooses each operation in
 * it, reading the section the page then shows: Redoc renders the main panel lazily, so only a chosen
 * operation is sure to be in the DOM.
 */
async function walkSidebar(page: Page): Promise<ShownOperation[]> {
  const shown: ShownOperation[] = [];
  const groups = page.locator(`${MENU_ITEM}.menu-item-type-group`);
  await groups.first().waitFor();
  for (let g = 0; g < (await groups.count()); g++) {
    const group = groups.nth(g);
    await group.locator("a").first().click();
    const operations = group.locator(`${MENU_ITEM}.menu-item-type-operation`);
    await operations.first().waitFor();
    for (let i = 0; i < (await operations.count()); i++) {
      const operation = operations.nth(i);
      const href = (await operation.locator("a").first().getAttribute("href")) ?? "";
      const method = (await operation.locator('[data-component-name="Tags/HttpTag"]').textContent()) ?? "";
      const label = (await operation.locator("[data-text]").first().textContent()) ?? "";
      await operation.click();
      const section = page.locator(`[id="${href.replace(/^#\//, "")}"]`);
      await section.waitFor();
      shown.push({
        method,
        label,
        heading: (await section.locator("h2").first().textContent()) ?? "",
        text: (await section.textContent()) ?? "",
      });
    }
  }
  return shown;
}

describe("the API reference page (make docs) in a real browser, served at /docs by the local gateway", function () {
  this.timeout(120_000);
  let browser: LoopbackBrowser;
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  let shown: ShownOperation[];
  const document = JSON.parse(readFileSync(OPENAPI_FILE, "utf8")) as { paths: Record<string, Record<string, { summary: string }>> };

  before(async function () {
    browser = await launchLoopbackBrowser(this);
    // The page of this checkout's build/openapi.json and template, as make docs makes it.
    await buildDocs();
    stack = await startTestStack({ docsPage: DOCS_PAGE });
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${stack.url}/docs`);
    expect(response?.status()).to.equal(200);
    shown = await walkSidebar(page);
    // The last operation chosen, in its open group: the page as a reader sees it.
    await page.screenshot({ path: SCREENSHOT });
    await context.close();
  });
  after(async () => {
    await stack?.stop();
    await browser?.close();
  });

  for (const route of routes) {
    const [method, path] = route.routeKey.split(" ") as [string, string];
    it(`lists ${route.routeKey} under its summary, and shows its method and path`, () => {
      const { summary } = document.paths[path]![method.toLowerCase()]!;
      const matches = shown.filter((operation) => operation.label === summary && operation.method.toUpperCase() === method);
      expect(matches, `${route.routeKey} ("${summary}") in the sidebar`).to.have.length(1);
      expect(matches[0]!.heading).to.equal(summary);
      expect(matches[0]!.text).to.include(`${method}${path}`);
    });
  }

  it("lists nothing that is not a route", () => {
    expect(shown).to.have.length(routes.length);
  });

  it("left a screenshot at build/docs/screenshot.png", () => {
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).to.equal("PNG");
  });

  it("fetched nothing beyond loopback: everything it needs is inside the file", () => {
    expect(browser.fetchedBeyondLoopback()).to.deep.equal([]);
  });
});
