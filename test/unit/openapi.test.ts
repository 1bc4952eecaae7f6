import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { expect } from "chai";
import { PROBLEMS } from "../../lambda/src/http/problem.js";
import { openApiDocument, problemCodes } from "../../lambda/src/openapi/document.js";
import type { RouteTable } from "../../lambda/src/router.js";
import { routes } from "../../lambda/src/routes.js";
import { VALIDATORS_FILE, validatorsSource } from "../../scripts/build.js";

const document = () => JSON.parse(readFileSync("build/openapi.json", "utf8"));
const manifest = () => JSON.parse(readFileSync("build/routes.json", "utf8")) as { routeKey: string; scopes?: string[] }[];
const operationKeys = (doc: any) =>
  Object.entries(doc.paths as Record<string, object>).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );

const pointer = (segments: string[]) => segments.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/** Every example of the document with the pointer of the schema it illustrates: schemas' `examples`, media types' `example`. */
function examples(node: unknown, at: string[] = [], found: { schema: string; example: unknown }[] = []) {
  if (typeof node !== "object" || node === null) return found;
  const record = node as Record<string, unknown>;
  if (Array.isArray(record.examples) && at.includes("schema")) {
    for (const example of record.examples) found.push({ schema: pointer(at), example });
  }
  if ("example" in record && typeof record.schema === "object") found.push({ schema: pointer([...at, "schema"]), example: record.example });
  for (const [key, value] of Object.entries(record)) if (key !== "examples" && key !== "example") examples(value, [...at, key], found);
  return found;
}

describe("the OpenAPI description (build/openapi.json)", () => {
  it("is what the route table describes, with the issuer as a server variable", () => {
    const built = document();
    expect(built).to.deep.equal(JSON.parse(JSON.stringify(openApiDocument(routes, built.servers))));
    expect(built.servers[0].url).to.equal("{issuer}");
  });

  it("has every route of build/routes.json, and no other", () => {
    expect(operationKeys(document()).sort()).to.deep.equal(
      manifest()
        .map((entry) => entry.routeKey)
        .sort(),
    );
  });

  it("requires the bearer scheme with each route's scopes on jwt routes, and nothing on public ones", () => {
    const doc = document();
    for (const [routeKey, route] of Object.entries(routes as RouteTable)) {
      const [method = "", path = ""] = routeKey.split(" ");
      const { security } = doc.paths[path][method.toLowerCase()];
      expect(security, routeKey).to.deep.equal(route.auth === "jwt" ? [{ bearer: [...(route.scopes ?? [])] }] : []);
    }
    expect(doc.components.securitySchemes.bearer).to.include({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
  });

  it("lists every problem code of each route under its status, as problem+json", () => {
    const doc = document();
    for (const [routeKey, route] of Object.entries(routes as RouteTable)) {
      const [method = "", path = ""] = routeKey.split(" ");
      const { responses } = doc.paths[path][method.toLowerCase()];
      for (const code of problemCodes(route)) {
        const schema = responses[PROBLEMS[code].status].content["application/problem+json"].schema;
        expect(schema.allOf[1].properties.code.enum, `${routeKey} ${code}`).to.include(code);
      }
    }
  });

  it("documents the gateway's own errors: 401 on jwt routes, 403 on routes with scopes", () => {
    const doc = document();
    expect(doc.paths["/me"].get.responses["401"].content["application/json"].example).to.deep.equal({ message: "Unauthorized" });
    expect(doc.paths["/admin/users"].get.responses["403"].content["application/json"].example).to.deep.equal({ message: "Forbidden" });
    expect(doc.paths["/login"].post.responses).to.not.have.property("401.content.application/json");
    expect(doc.paths["/me"].get.responses).to.not.have.property("403");
  });

  describe("has examples that match their schemas", () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    ajv.addSchema(document(), "openapi.json");
    const found = examples(document());
    it("has examples", () => expect(found.length).to.be.greaterThan(30));
    for (const { schema, example } of found) {
      it(`#/${schema}`, () => {
        const validate = ajv.compile({ $ref: `openapi.json#/${schema}` });
        expect(validate(example), `${JSON.stringify(example)}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
      });
    }
  });
});

describe("the request validators (lambda/src/requests/validators.generated.ts)", () => {
  it("are those make build compiles from the request schemas today", () => {
    expect(readFileSync(VALIDATORS_FILE, "utf8"), "stale: run make build and commit the file").to.equal(validatorsSource());
  });
});
