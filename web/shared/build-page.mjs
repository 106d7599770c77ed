// What the pages' scripts/build.mjs share: src/main.ts bundled by esbuild
// into OUT/app.js (ES2020, minified, with a source map), and the files of
// static/ copied beside it, plus `extra` files (absolute paths), flat: the
// server serves a page's folder without subfolders. The caller passes
// esbuild's `build`, so that esbuild resolves from the page's own node_modules.
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";

export async function buildPage(build, root, outDir, extra = []) {
  const out = resolve(outDir ?? join(root, "dist"));
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
  for (const file of extra) cpSync(file, join(out, basename(file)));
}
