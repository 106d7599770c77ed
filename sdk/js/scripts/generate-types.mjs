// Writes the TypeScript types of docs/api/openapi.yaml (openapi-typescript)
// to the file named by the first argument, or to standard output without one.
// `npm run generate` writes src/openapi.ts; test/generated_types.test.ts runs
// this again and fails when the committed file differs.
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const spec = resolve(here, "../../../docs/api/openapi.yaml");
const header =
  "// Generated from docs/api/openapi.yaml by openapi-typescript (sdk/js/scripts/generate-types.mjs).\n" +
  "// Do not edit: run `npm run generate` in sdk/js after changing the API document.\n\n";

const ast = await openapiTS(pathToFileURL(spec), { exportType: true });
const text = header + astToString(ast);
const out = process.argv[2];
if (out) writeFileSync(out, text);
else process.stdout.write(text);
