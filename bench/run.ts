/**
 * `npm run bench`: runs each benchmark in its own process (so peak RSS is its own) and lets each print its
 * JSON line(s) with the baseline it measured in the same run. Pass names to run some: `npm run bench -- kpis`.
 * Benchmarks print figures; they never fail on a time (tests never assert wall-clock times either).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ALL = ['validate', 'kpis', 'report'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let failed = 0;
for (const name of wanted) {
  const file = join(import.meta.dirname, `${name}.bench.ts`);
  if (!existsSync(file)) {
    console.error(`no benchmark ${name} (${file})`);
    failed++;
    continue;
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file], {
    stdio: 'inherit',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
