/**
 * The import boundaries between the function and the tools around it. The function must deploy alone (so it
 * imports nothing of the tools or tests, and at run time only its own dependencies); the emulator must be
 * judged against AWS, not against the function's internals (so it shares only lambda/shared and the data
 * files); the plan review stands alone. A forbidden import fails here, in `make check`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { expect } from "chai";
import packageJson from "../../package.json" with { type: "json" };

const ROOT = resolve(import.meta.dirname, "../..");

interface Import {
  file: string;
  specifier: string;
  typeOnly: boolean;
  /** Repository-relative path of a relative import's target; undefined for packages and built-ins. */
  target: string | undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

const STATIC = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s*)?["']([^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const target = specifier.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), specifier)) : undefined;
    found.push({ file, specifier, typeOnly, target });
  };
  for (const match of text.matchAll(STATIC)) add(match[3]!, match[2] !== undefined);
  for (const match of text.matchAll(DYNAMIC)) add(match[1]!, false);
  return found;
}

const isBuiltin = (specifier: string) => specifier.startsWith("node:") || builtinModules.includes(specifier);
const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");
const inside = (target: string | undefined, ...folders: string[]) =>
  target !== undefined && folders.some((folder) => target === folder || target.startsWith(`${folder}/`));
const describeImport = ({ file, specifier }: Import) => `${file} imports ${specifier}`;

interface Rule {
  name: string;
  files: string[];
  forbidden: (entry: Import) => boolean;
}

const RUNTIME_DEPENDENCIES = new Set(Object.keys(packageJson.dependencies));
const NETWORK_MODULES = ["http", "https", "http2", "net", "tls", "dgram"];

const RULES: Rule[] = [
  {
    name: "lambda/src imports only itself, lambda/shared, Node built-ins and, at run time, the dependencies the bundle ships",
    files: sourceFiles("lambda/src"),
    forbidden: (entry) =>
      entry.target !== undefined
        ? !inside(entry.target, "lambda/src", "lambda/shared")
        : !isBuiltin(entry.specifier) && !entry.typeOnly && !RUNTIME_DEPENDENCIES.has(packageOf(entry.specifier)),
  },
  {
    name: "lambda/shared imports only itself and Node built-ins, none for the network",
    files: sourceFiles("lambda/shared"),
    forbidden: (entry) =>
      entry.target !== undefined
        ? !inside(entry.target, "lambda/shared")
        : !isBuiltin(entry.specifier) || NETWORK_MODULES.includes(entry.specifier.replace(/^node:/, "")),
  },
  {
    name: "the gateway emulator imports none of the function's code but lambda/shared and its data files",
    files: sourceFiles("scripts/gateway-emulator"),
    forbidden: (entry) => entry.target !== undefined && !inside(entry.target, "scripts/gateway-emulator", "lambda/shared"),
  },
  {
    name: "the plan review imports nothing outside its folder",
    files: sourceFiles("scripts/plan-review"),
    forbidden: (entry) => entry.target !== undefined && !inside(entry.target, "scripts/plan-review"),
  },
  {
    name: "nothing but the build, make admin (which runs the function's own store operation) and the benchmarks (which measure it in process) imports the function's code from scripts/",
    files: sourceFiles("scripts").filter(
      (file) => file !== "scripts/build.ts" && file !== "scripts/admin.ts" && !file.startsWith("scripts/bench/"),
    ),
    forbidden: (entry) => inside(entry.target, "lambda/src") && !entry.target!.endsWith(".json"),
  },
  {
    name: "neither the function nor the tools import the tests",
    files: [...sourceFiles("lambda"), ...sourceFiles("scripts")],
    forbidden: (entry) => inside(entry.target, "test"),
  },
];

describe("import boundaries", () => {
  for (const rule of RULES) {
    it(rule.name, () => {
      expect(rule.files, "the rule reads some files").to.not.be.empty;
      const violations = rule.files.flatMap(importsOf).filter(rule.forbidden).map(describeImport);
      expect(violations).to.deep.equal([]);
    });
  }

  it("sees imports of every form (static, type-only, re-export, dynamic), so the rules above can fail", () => {
    const forms = importsOf("lambda/src/index.ts").map(({ specifier, typeOnly }) => ({ specifier, typeOnly }));
    expect(forms).to.deep.include({ specifier: "./auth/signer.js", typeOnly: true });
    expect(forms).to.deep.include({ specifier: "./auth/kms-signer.js", typeOnly: false });
    expect(forms).to.deep.include({ specifier: "./router.js", typeOnly: false });
  });
});
