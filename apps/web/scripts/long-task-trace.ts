/**
 * Measures the main thread while a long article's style pass streams: a Chromium
 * performance trace of the whole pass, the longest task on the page's main thread (and
 * every task over 50 ms), plus the layout shift summed over the pass. Not a test: figures
 * for a person, from the built SPA and API (`pnpm build` first).
 * `pnpm --filter @inkflow/web exec tsx scripts/long-task-trace.ts [trace.json]`
 */
import { writeFileSync } from 'node:fs'
import { isOutline, isStyle, sectionNumber } from '@inkflow/llm-stub'
import { startE2e } from '../e2e/helpers/e2e-fixture.js'
import { startJob } from '../e2e/helpers/page-helpers.js'

const SECTIONS = 8
const paragraph = (n: number) =>
  `Paragraph ${n} says **something** worth reading, with *emphasis*, a [link](https://example.com/${n}) and \`code\`. `.repeat(
    4,
  )
const body = (s: number) =>
  [1, 2, 3, 4, 5].map((p) => paragraph(s * 10 + p)).join('\n\n') +
  '\n\n- one point\n- another point\n'
const titles = Array.from({ length: SECTIONS }, (_, i) => `Part ${i + 1}`)
const polished = `# A long article\n\nAn introduction.\n\n${titles.map((t, i) => `## ${t}\n\n${body(i)}`).join('\n')}`

const e2e = await startE2e({
  tokenDelayMs: 1,
  model: (request) => {
    if (isOutline(request))
      return {
        text: `title: "A long article"\nsections:\n${titles.map((t) => `  - "${t}"`).join('\n')}\n`,
      }
    if (isStyle(request)) return { text: polished }
    return { text: body(sectionNumber(request) ?? 0), tokenDelayMs: 0 }
  },
})
try {
  const page = await e2e.open({ width: 375, height: 812 })
  await page.addInitScript(() => {
    const seen = { longTasks: [] as number[], shift: 0, shifts: [] as string[] }
    Object.assign(window, { seen })
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) seen.longTasks.push(Math.round(e.duration))
    }).observe({ type: 'longtask' })
    new PerformanceObserver((list) => {
      type Shift = PerformanceEntry & { value: number; sources: { node?: Node }[] }
      for (const e of list.getEntries() as Shift[]) {
        seen.shift += e.value
        const what = e.sources.map(
          (s) => (s.node as Element | undefined)?.className || s.node?.nodeName,
        )
        seen.shifts.push(
          `${e.value.toFixed(3)} at ${Math.round(e.startTime)} ms: ${what.join(', ')}`,
        )
      }
    }).observe({ type: 'layout-shift' })
  })
  await startJob(page, e2e.origin, 'A long article')
  await page.locator('[data-step="style"][data-state="active"]').waitFor({ timeout: 60_000 })
  await page.evaluate(() =>
    Object.assign((window as unknown as { seen: object }).seen, {
      longTasks: [],
      shift: 0,
      shifts: [],
    }),
  )
  await e2e.browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  })
  const started = Date.now()
  await page.getByTestId('article').waitFor({ timeout: 120_000 })
  const trace = JSON.parse((await e2e.browser.stopTracing()).toString('utf8')) as {
    traceEvents: {
      name: string
      ph: string
      dur?: number
      tdur?: number
      pid: number
      tid: number
      args?: { name?: string }
    }[]
  }
  if (process.argv[2]) writeFileSync(process.argv[2], JSON.stringify(trace))
  const main = trace.traceEvents.find(
    (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  )
  const runTasks = trace.traceEvents.filter(
    (e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === main?.pid && e.tid === main?.tid,
  )
  const tasks = runTasks.map((e) => (e.dur ?? 0) / 1000)
  // Thread time: on a busy machine a task's wall time includes time the thread was not run.
  const cpu = runTasks.map((e) => (e.tdur ?? 0) / 1000)
  type Seen = { longTasks: number[]; shift: number; shifts: string[] }
  const seen = await page.evaluate(() => (window as unknown as { seen: Seen }).seen)
  const chars = await page.getByTestId('article').evaluate((el) => el.textContent?.length ?? 0)
  console.log(
    JSON.stringify(
      {
        stylePassMs: Date.now() - started,
        polishedMarkdownChars: polished.length,
        renderedChars: chars,
        mainThreadTasks: tasks.length,
        longestTaskMs: Math.round(Math.max(...tasks) * 10) / 10,
        tasksOver50ms: tasks.filter((d) => d > 50).map((d) => Math.round(d)),
        longestTaskCpuMs: Math.round(Math.max(...cpu) * 10) / 10,
        p95TaskMs:
          Math.round(tasks.sort((a, b) => a - b)[Math.floor(tasks.length * 0.95)]! * 10) / 10,
        longTaskObserver: seen.longTasks,
        layoutShiftDuringStylePass: Math.round(seen.shift * 1000) / 1000,
        largestShifts: seen.shifts.sort().reverse().slice(0, 8),
      },
      null,
      2,
    ),
  )
} finally {
  await e2e.close()
}
