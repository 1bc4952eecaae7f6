# Every target installs dependencies first when node_modules is missing or older than the lockfile.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# The Lambda runs on Node 22; the SDK's warning about older local Node versions is noise here.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED := true

INSTALLED := node_modules/.installed

.PHONY: help install build docs typecheck lint format check test test-browser chromium clean dev admin bench soak bootstrap plan deploy destroy smoke rotate-key retire-keys

# The fast tier: tests that need no database engine, no Terraform and no server (test/unit, test/plan-review).
CHECK_TESTS := 'test/unit/**/*.test.ts' 'test/plan-review/**/*.test.ts'
# Everything: the fast tier plus test/integration, test/e2e, test/hardening, test/terraform and test/browser.
ALL_TESTS := 'test/**/*.test.ts'
# make test runs on the Lambda runtime's Node major (nodejs22.x: 22): the machine's own if it is new enough,
# else one installed from the npm registry into scripts/lambda-node/ (see there). It goes first on PATH, so
# every `node` the tests start (the bundle's cold starts, make dev, the local stack) is that one too.
LAMBDA_NODE_DIR = $$(npx tsx scripts/lambda-node/path.ts)

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(INSTALLED) ## Install dependencies (npm ci) when missing or stale

build: $(INSTALLED) ## Bundle the Lambda to build/lambda, build/routes.json and build/lambda.zip
	npx tsx scripts/build.ts

docs: build ## Build build/docs/index.html, the API reference from build/openapi.json: one file, nothing loaded from a CDN
	npx tsx scripts/docs/build.ts

typecheck: $(INSTALLED) ## Type-check everything (strict)
	npx tsc --noEmit -p tsconfig.json

lint: $(INSTALLED) ## Check formatting and lint rules (Biome); no file is changed
	npx biome check --error-on-warnings .

format: $(INSTALLED) ## Format every file and apply safe lint fixes in place (Biome)
	npx biome check --write .

check: $(INSTALLED) ## The fast tier (< 30 s): build, type-check, lint, and the tests that need no database, Terraform or server
	@started=$$(date +%s%N); \
	$(MAKE) --no-print-directory -j3 build typecheck lint; \
	npx mocha $(CHECK_TESTS); \
	echo "make check: passed in $$(( ($$(date +%s%N) - started) / 1000000 )) ms"

test: $(INSTALLED) ## Everything: build, type-check, lint, then every test on the Lambda runtime's Node (what CI runs)
	$(MAKE) --no-print-directory -j3 build typecheck lint
	npx tsx scripts/browser/chromium.ts
	node_dir="$(LAMBDA_NODE_DIR)"; export PATH="$$node_dir:$$PATH"; \
	echo "make test: the tests run on Node $$(node --version)"; \
	node node_modules/mocha/bin/mocha.js $(ALL_TESTS)

test-browser: build chromium ## Only the browser tests (test/browser): CORS in Chromium and the docs page
	npx mocha 'test/browser/**/*.test.ts'

chromium: $(INSTALLED) ## Install Debian's chromium for the browser tests when missing (needs root or passwordless sudo)
	npx tsx scripts/browser/chromium.ts

clean: ## Remove build output (keeps .local data)
	rm -rf build

dev: docs ## Run the whole API locally on PORT (default 3000), data in .local/, its reference at /docs
	node --import tsx scripts/dev.ts

# USERNAME must come from the command line: an environment that happens to define it (Windows shells do) must not pick the admin.
admin: $(INSTALLED) ## Make USERNAME an admin: in the running make dev, or with TABLE_NAME (and AWS credentials) in a deployed stack
	@if [ "$(origin USERNAME)" != "command line" ]; then echo "make admin: USERNAME is required: make admin USERNAME=<name>" >&2; exit 1; fi
	npx tsx scripts/admin.ts "$(USERNAME)"

soak: build ## Mixed load against a local stack for SOAK_SECONDS (default 60), loopback only
	node --expose-gc --import tsx scripts/soak.ts

# Like make test, on the Lambda runtime's Node: cold starts, bcrypt and dispatch are measured on the Node that runs them in AWS.
bench: build ## Benchmark against baselines in one run; prints a table, writes build/bench.json, fails on a missed target
	node_dir="$(LAMBDA_NODE_DIR)"; export PATH="$$node_dir:$$PATH"; \
	node node_modules/tsx/dist/cli.mjs scripts/bench/run.ts

# AWS (terraform/): each checks terraform and AWS credentials first, then builds. See README "Deploy to AWS".
bootstrap: $(INSTALLED) ## Once per AWS account: state bucket, GitHub OIDC provider, plan and apply roles (TF_VAR_github_repository=owner/name)
	npx tsx scripts/terraform/stack.ts check bootstrap
	npx tsx scripts/terraform/stack.ts bootstrap

plan: $(INSTALLED) ## Show what make deploy would change in AWS (needs terraform and AWS credentials)
	npx tsx scripts/terraform/stack.ts check plan
	@$(MAKE) --no-print-directory build
	npx tsx scripts/terraform/stack.ts plan

deploy: $(INSTALLED) ## Build, terraform apply, print api_url, smoke-test it (AUTO_APPROVE=1: no prompt)
	npx tsx scripts/terraform/stack.ts check deploy
	@$(MAKE) --no-print-directory build
	npx tsx scripts/terraform/stack.ts deploy

destroy: $(INSTALLED) ## Delete everything make deploy created, the table's data included
	npx tsx scripts/terraform/stack.ts check destroy
	@$(MAKE) --no-print-directory build
	npx tsx scripts/terraform/stack.ts destroy

smoke: $(INSTALLED) ## Smoke-test a deployed API: make smoke API_URL=https://<id>.execute-api.<region>.amazonaws.com
	npx tsx scripts/terraform/smoke.ts "$(API_URL)"

# Signing keys (README "Rotating the signing key"): a running make dev's .local/ (LOCAL_DIR, PORT), or with
# AWS=1 the deployed stack, through terraform/signing-keys.auto.tfvars.json and make deploy's Terraform.
rotate-key: $(INSTALLED) ## Publish a new signing key, wait until caches can hold it, then sign with it (AWS=1: deployed)
	@if [ "$(AWS)" = 1 ]; then npx tsx scripts/terraform/stack.ts check rotate-key && $(MAKE) --no-print-directory build; fi
	npx tsx scripts/signing-keys/cli.ts rotate

retire-keys: $(INSTALLED) ## Drop retiring signing keys once every token they signed has expired (FORCE=1: now; AWS=1: deployed)
	@if [ "$(AWS)" = 1 ]; then npx tsx scripts/terraform/stack.ts check retire-keys && $(MAKE) --no-print-directory build; fi
	npx tsx scripts/signing-keys/cli.ts retire
