import { expect } from "chai";
import { InvalidLambdaResponse, interpretLambdaResult } from "../../scripts/gateway-emulator/lambda-response.js";

/** What the gateway makes of a function's return value, which AWS sees only as the JSON the runtime sends. */
describe("gateway: the function's result", () => {
  it("takes only the headers' own keys, as their JSON would carry", () => {
    const headers = Object.assign(Object.create({ inherited: "x" }) as Record<string, string>, { "Content-Type": "text/plain" });
    expect(interpretLambdaResult({ statusCode: 200, headers, body: "hi" }).headers).to.deep.equal({ "content-type": "text/plain" });
  });

  it("refuses a result that has no JSON form", () => {
    expect(() => interpretLambdaResult(() => "a function")).to.throw(InvalidLambdaResponse);
    expect(interpretLambdaResult(undefined)).to.deep.include({ statusCode: 200, body: "null" });
  });
});
