#!/usr/bin/env node
// Builds the /play page into OUT_DIR (build/web/play by `make build`):
// src/main.ts bundled by esbuild into app.js (ES2020, minified, with a
// source map), and the files of static/ copied beside it.
// Usage: node scripts/build.mjs OUT_DIR
import { build } from "esbuild";
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(root, "dist"));
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, "src/main.ts")],
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  sourcemap: true,
  outfile: join(out, "app.js"),
  logLevel: "warning",
});
for (const file of readdirSync(join(root, "static"))) cpSync(join(root, "static", file), join(out, file));
