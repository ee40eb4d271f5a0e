#!/usr/bin/env node
/**
 * Opens the `npm start` reports in a real browser (Debian's headless
 * chromium) and checks what a reader sees: the DOM chromium built holds the
 * drawn charts (SVG with marks), the study's conclusions, and no resource fetched
 * from the network (there is none offline); then a screenshot of each.
 *
 *   node scripts/check-report-browser.mjs [report.html …]
 *     (default: what npm start writes, results/placement-study/study.html and results/report-latest.html)
 *
 * Fails loudly when chromium is missing: apt-get install -y chromium.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const browser = ["chromium", "chromium-browser", "google-chrome"].find((b) => spawnSync("sh", ["-c", `command -v ${b}`]).status === 0);
if (!browser) {
  console.error("check-report-browser: no chromium on PATH; install Debian's: apt-get install -y chromium");
  process.exit(1);
}

const reports = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["results/placement-study/study.html", "results/report-latest.html"];
const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=5000"];
let failed = 0;
for (const report of reports) {
  const url = pathToFileURL(resolve(report)).href;
  const problems = [];
  if (!existsSync(report)) problems.push("no such file (run npm start first)");
  else {
    const dom = execFileSync(browser, [...flags, "--dump-dom", url], { encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "ignore"] });
    const svgs = dom.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    const drawn = svgs.filter((s) => /<(rect|path|line|circle)\b/.test(s));
    if (drawn.length === 0) problems.push("no chart drawn (no SVG with marks in the DOM)");
    // The placement study opens with its conclusions; the benchmark suite's report is tables and charts.
    if (/study\.html$/.test(report) && !/<h2[^>]*>\s*Conclusions\s*<\/h2>\s*<ul>\s*<li>/.test(dom)) problems.push("no conclusions stated");
    const remote = dom.match(/(?:src|href)="https?:\/\/[^"]+"/g) ?? [];
    if (remote.length > 0) problems.push(`loads from the network: ${remote.slice(0, 3).join(", ")}`);
    const png = report.replace(/\.html$/, ".png");
    execFileSync(browser, [...flags, "--window-size=1300,2400", `--screenshot=${resolve(png)}`, url], { stdio: "ignore" });
    if (!existsSync(png) || statSync(png).size < 10_000) problems.push(`the screenshot ${png} is missing or blank`);
    if (problems.length === 0)
      console.log(`ok: ${report}: ${drawn.length} charts drawn, ${/study\.html$/.test(report) ? "conclusions stated, " : ""}nothing remote; screenshot ${png}`);
  }
  for (const p of problems) console.error(`FAIL: ${report}: ${p}`);
  if (problems.length > 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
