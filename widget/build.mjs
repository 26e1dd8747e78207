// Builds src/index.ts into ../src/Ateb/wwwroot/widget.js: one minified IIFE with the SignalR client inside.
// Deterministic (no timestamps, no absolute paths, no source map), so ../scripts/widget.sh can tell a stale commit.
import { build } from "esbuild";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url)));
const signalr = JSON.parse(readFileSync(new URL("./node_modules/@microsoft/signalr/package.json", import.meta.url))).version;

await build({
  entryPoints: ["src/index.ts"],
  outfile: process.argv[2] ?? "../src/Ateb/wwwroot/widget.js",
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: ["es2020", "chrome90", "firefox90", "safari15"],
  legalComments: "none",
  charset: "ascii", // \u escapes: the host page may decode scripts as anything
  banner: {
    js: `/*! Ateb chat widget (${pkg.license}); built from widget/ by scripts/widget.sh. Includes @microsoft/signalr ${signalr} (MIT, (c) .NET Foundation). */`,
  },
  logLevel: "warning",
});
