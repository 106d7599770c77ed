#!/usr/bin/env node
// Builds the /console page into OUT_DIR (build/pages/console by `make build`):
// src/main.ts bundled by esbuild into app.js (uPlot included), static/ and
// uPlot's stylesheet copied beside it (web/shared/build-page.mjs).
// Usage: node scripts/build.mjs OUT_DIR
import { build } from "esbuild";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { buildPage } from "../../shared/build-page.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
await buildPage(build, root, process.argv[2], [join(root, "node_modules/uplot/dist/uPlot.min.css")]);
