// Entry of `npm run bench` (after the build): runs bench/main.ts with TypeScript loaded by tsx, passing options through.
import { spawnSync } from 'node:child_process';

const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
