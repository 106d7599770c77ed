// src/openapi.ts is generated from docs/api/openapi.yaml: this fails when
// the committed file is not what the generator makes of the document now
// (run `npm run generate` in sdk/js).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { sourceDir } from "./support/webgames.js";

test("src/openapi.ts is up to date with docs/api/openapi.yaml", () => {
  const sdk = join(sourceDir, "sdk/js");
  const fresh = execFileSync(process.execPath, [join(sdk, "scripts/generate-types.mjs")], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const committed = readFileSync(join(sdk, "src/openapi.ts"), "utf8");
  assert.ok(fresh.includes("export type paths"), "the generator wrote no paths");
  if (fresh === committed) return;
  const fresher = fresh.split("\n");
  const older = committed.split("\n");
  let line = 0;
  while (line < fresher.length && fresher[line] === older[line]) line++;
  assert.fail(
    "sdk/js/src/openapi.ts is out of date with docs/api/openapi.yaml: run `npm run generate` in sdk/js " +
      `(after make build, which installs its packages) and commit it. First difference, line ${line + 1}:\n` +
      `  generated now: ${fresher[line] ?? "(end)"}\n  committed:     ${older[line] ?? "(end)"}`,
  );
});
