/**
 * Compiles JSON Schemas to the source of one ES module of plain validator functions, with ajv's standalone
 * code generation (https://ajv.js.org/standalone.html): the function then validates with code made at build
 * time, with no schema compilation and no `new Function` at run time.
 *
 * The generated code `require()`s the runtime helpers of ajv it needs. For these schemas that is one,
 * `ucs2length` (a string's length in code points, as JSON Schema counts `minLength`/`maxLength`): a
 * self-contained function, written into the module here, so the function has no run-time dependency on ajv
 * and Node (tsx, in the tests) and esbuild (the bundle) load the same code. Any other helper fails the build
 * until it is checked and added.
 */
import Ajv from "ajv";
import ucs2length from "ajv/dist/runtime/ucs2length.js";
import standaloneCode from "ajv/dist/standalone/index.js";

const HELPER = /const (\w+) = require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)\.default;/g;
const SELF_CONTAINED_HELPERS: Record<string, { toString(): string }> = { "ajv/dist/runtime/ucs2length": ucs2length.default };

export function standaloneValidators(schemas: Record<string, object>, header: string): string {
  // allErrors: the contract lists every problem of a body, not the first; the function makes its own messages.
  // Ajv's default dialect (draft-07) says what these schemas say in OpenAPI 3.1's 2020-12 with less code, and
  // strict mode refuses a keyword it does not know, so none is silently ignored.
  const ajv = new Ajv.default({ allErrors: true, messages: false, strict: true, code: { source: true, esm: true, lines: true } });
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema, name);
  const names = Object.fromEntries(Object.keys(schemas).map((name) => [name, name]));
  const code = standaloneCode.default(ajv, names).replace(HELPER, (_: string, local: string, module: string) => {
    const helper = SELF_CONTAINED_HELPERS[module];
    if (helper === undefined) throw new Error(`the validators need ${module}: check that it is self-contained, then allow it here`);
    return `const ${local} = ${helper.toString()};`;
  });
  if (/\brequire\(/.test(code)) throw new Error("the generated validators still require() a module");
  // One object of them all, so the function picks a validator by its schema's name.
  const byName = `export const validators = { ${Object.keys(schemas).join(", ")} };`;
  return `${header}\n${code.replace(/^"use strict";/, "")}\n${byName}\n`;
}
