#!/usr/bin/env node
// Builds the /play page into OUT_DIR (build/pages/play by `make build`):
// src/main.ts bundled by esbuild into app.js, and static/ copied beside it
// (web/shared/build-page.mjs).
// Usage: node scripts/build.mjs OUT_DIR
import { build } from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { buildPage } from "../../shared/build-page.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
await buildPage(build, root, process.argv[2]);
