// `npm run figures`: rewrites every <!--fig name.id-->TEXT<!--/fig--> in
// README.md and docs/*.md from docs/figures/<name>.json. `--check` only
// reports where the prose and the files disagree (exit 1), as the unit test
// __tests__/docs/figures.test.ts does.
//
//   node scripts/figures.mjs [--check]
import { run } from './figures/lib.mjs'

const check = process.argv.includes('--check')
const problems = run({ write: !check })
for (const p of problems) console.error(p)
if (problems.length) process.exit(1)
console.log(check ? 'figures: prose and docs/figures agree' : 'figures: rendered from docs/figures')
