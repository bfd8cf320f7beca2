// Lighthouse on several URLs in one Node process and one Chromium: the
// configuration is loaded once (4 s of a 13 s run). Used by test_lighthouse.py.
// Usage: node lighthouse-run.mjs OUT_DIR NAME=URL... (CHROME_PATH, CHROME_FLAGS from the environment)
import fs from 'node:fs';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const [outDir, ...targets] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: (process.env.CHROME_FLAGS || '').split(' ').filter(Boolean),
});
try {
  for (const target of targets) {
    const [name, url] = target.split(/=(.*)/s);
    const result = await lighthouse(url, {
      port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    });
    fs.writeFileSync(path.join(outDir, `lighthouse-${name}.json`), result.report);
  }
} finally {
  await chrome.kill();
}
