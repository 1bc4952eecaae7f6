import { type FieldError, Problem } from "../http/problem.js";
import { type RequestSchemaName, requestSchemas } from "../schemas/requests.js";
import { validators } from "./validators.generated.js";

/** An error as ajv's generated validators report it. */
interface SchemaError {
  instancePath: string;
  keyword: string;
  params: { missingProperty?: string; additionalProperty?: string; limit?: number };
}
type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/** The field code of the contract for a schema keyword that failed on a field's own value. */
function fieldCode({ keyword, params }: SchemaError): string {
  switch (keyword) {
    case "type":
      return "type";
    case "minLength":
      return params.limit === 1 ? "empty" : "too_short";
    case "maxLength":
      return "too_long";
    case "minimum":
    case "maximum":
      return "out_of_range";
    default:
      return "format";
  }
}

/**
 * A request body (or query) checked against its schema by the validator compiled at build time, with the
 * rules only code can check added by the reader. Errors come in the order the contract has always listed
 * them: unknown fields, then missing and wrongly typed ones, then each field's broken rule, one per field.
 */
export class FieldCheck {
  private readonly fields: string[];
  private readonly shape: FieldError[] = [];
  /** The rule each field breaks, the schema's or the code's. */
  private readonly broken = new Map<string, string>();

  constructor(
    name: RequestSchemaName,
    private readonly input: Record<string, unknown>,
  ) {
    this.fields = Object.keys(requestSchemas[name].properties ?? {});
    const validate = validators[name] as Validator;
    const unexpected: FieldError[] = [];
    const shape = new Map<string, string>();
    if (!validate(input)) {
      for (const error of validate.errors ?? []) {
        if (error.keyword === "additionalProperties") unexpected.push({ field: error.params.additionalProperty!, code: "unexpected" });
        else if (error.keyword === "required") shape.set(error.params.missingProperty!, "required");
        else {
          // "/roles/0" is the field "roles": a bad item is a malformed value, not a wrongly typed field.
          const [field = "", ...inside] = error.instancePath.slice(1).split("/");
          if (error.keyword === "type" && inside.length === 0) shape.set(field, "type");
          else if (!this.broken.has(field)) this.broken.set(field, inside.length === 0 ? fieldCode(error) : "format");
        }
      }
    }
    this.shape = [...unexpected, ...this.inOrder(shape)];
    for (const field of shape.keys()) this.broken.delete(field);
  }

  /** The field's value when it is present with its schema's type; undefined otherwise. */
  value<T = string>(field: string): T | undefined {
    return Object.hasOwn(this.input, field) && !this.shape.some((error) => error.field === field) ? (this.input[field] as T) : undefined;
  }

  /** A rule code checks, beside the schema: when it is broken (`code` set), it is the field's error, in place of the schema's. */
  rule(field: string, code: string | undefined): void {
    if (code) this.broken.set(field, code);
  }

  /**
   * Throws the problems, if any. A password over 72 bytes, when it is the only problem, gets its own code:
   * the client must not retry with a truncated one.
   */
  done(): void {
    const errors = [...this.shape, ...this.inOrder(this.broken)];
    if (errors.length === 1 && errors[0]?.code === "too_long" && errors[0].field.endsWith("password")) {
      throw new Problem("password_too_long", { errors });
    }
    if (errors.length > 0) throw new Problem("validation_failed", { errors });
  }

  private inOrder(codes: Map<string, string>): FieldError[] {
    return this.fields.flatMap((field) => {
      const code = codes.get(field);
      return code === undefined ? [] : [{ field, code }];
    });
  }
}
