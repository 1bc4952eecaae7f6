/** The command line of the plan review. */
export const USAGE = `usage: npm run --silent plan-review -- [--allow-destroy ADDRESS]... [--format markdown|json] [--config FILE] PLAN_JSON

  PLAN_JSON              output of \`terraform show -json PLANFILE\`; - reads stdin
  --allow-destroy ADDR   allow deleting or replacing this protected resource (or module); repeatable
  --format FORMAT        markdown (default) or json
  --config FILE          protected types and addresses (default scripts/plan-review/protected.json)

Exit status: 0 nothing destructive to a protected resource (or each allowed), 2 a protected resource
would be deleted or replaced, 1 the input is not a plan (or a usage error).`;

export interface Options {
  input: string;
  format: "markdown" | "json";
  allowDestroy: string[];
  config?: string;
  help: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): Options {
  const options: Options = { input: "", format: "markdown", allowDestroy: [], help: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    const [flag, inline] =
      argument.startsWith("--") && argument.includes("=")
        ? [argument.slice(0, argument.indexOf("=")), argument.slice(argument.indexOf("=") + 1)]
        : [argument, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined || next === "") throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "-h":
      case "--help":
        options.help = true;
        break;
      case "--allow-destroy":
        options.allowDestroy.push(value());
        break;
      case "--format": {
        const format = value();
        if (format !== "markdown" && format !== "json") throw new UsageError(`--format must be markdown or json, not ${format}`);
        options.format = format;
        break;
      }
      case "--config":
        options.config = value();
        break;
      case "--":
        positional.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (argument.startsWith("-") && argument !== "-") throw new UsageError(`unknown option ${argument}`);
        positional.push(argument);
    }
  }
  if (options.help) return options;
  if (positional.length !== 1)
    throw new UsageError(positional.length === 0 ? "PLAN_JSON is missing" : `one PLAN_JSON expected, got ${positional.length}`);
  options.input = positional[0]!;
  return options;
}
