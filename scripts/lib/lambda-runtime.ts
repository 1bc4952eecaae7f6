/**
 * The Lambda runtime the function deploys to, and so the Node major its bundle is built for (esbuild's
 * target) and tested on (`make test` runs the suites on it, see scripts/lambda-node/). Terraform's default
 * (`lambda_runtime` in terraform/variables.tf) must name the same runtime; test/terraform/plan.test.ts
 * fails when they drift apart.
 */
export const LAMBDA_RUNTIME = "nodejs22.x";

/** 22 for nodejs22.x. */
export const LAMBDA_NODE_MAJOR = Number(/^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME)![1]);
