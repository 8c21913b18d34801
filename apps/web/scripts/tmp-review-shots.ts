// Throwaway (not committed): the review UI against a fake event log, to look at it before the API lands.
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { formatFrame } from '@inkflow/shared'
import { launchChromium } from '../e2e/helpers/browser.js'
import { serveSpa } from '../e2e/helpers/static-server.js'

const out = process.argv[2] ?? '/tmp/shots'
const options = { tone: 'playful', length: 'short', audience: 'beginners', reviewOutline: true }
const bodies = [
  { type: 'job.queued', progress: 0, topic: 'The history of tea', options },
  { type: 'job.started', progress: 0, attempt: 1 },
  { type: 'step.started', progress: 0, step: 'outline' },
  {
    type: 'outline.ready',
    progress: 30,
    title: 'All about the history of tea',
    sections: [
      'Origins in ancient China',
      'The tea trade',
      'How tea is made',
      'Tea today',
      'Why it matters',
    ],
  },
  { type: 'step.completed', progress: 30, step: 'outline' },
  {
    type: 'job.waiting',
    progress: 30,
    for: 'outline',
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  },
]
const events = bodies.map((b, i) => ({
  ...b,
  jobId: 'j1',
  seq: i + 1,
  ts: new Date().toISOString(),
}))
const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'last-event-id, authorization, content-type',
  'access-control-allow-methods': 'GET, PUT, POST',
}
const api = createServer((req, res) => {
  if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end()
  if (req.url?.endsWith('/events')) {
    res.writeHead(200, { ...cors, 'content-type': 'text/event-stream' })
    for (const e of events)
      res.write(formatFrame({ event: e.type, data: JSON.stringify(e), id: e.seq }))
    return
  }
  if (req.method === 'PUT') {
    res.writeHead(409, { ...cors, 'content-type': 'application/problem+json' })
    return void res.end(
      JSON.stringify({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        detail: 'job j1 is not waiting for its outline',
      }),
    )
  }
  res.writeHead(404, cors).end()
})
api.listen(0, '127.0.0.1')
await once(api, 'listening')
const spa = await serveSpa(fileURLToPath(new URL('../dist', import.meta.url)))
spa.setConfig({ apiBaseUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}` })
const browser = await launchChromium()
try {
  for (const [width, height] of [
    [1280, 900],
    [375, 812],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      const name = `${width}-${scheme}`
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme })
      const page = await context.newPage()
      await page.goto(spa.origin)
      await page.locator('summary').click()
      await page.getByRole('radio', { name: 'Playful' }).check()
      await page.getByRole('radio', { name: 'Short' }).check()
      await page.getByRole('textbox', { name: 'Audience' }).fill('beginners')
      await page.getByRole('checkbox', { name: /review the outline/ }).check()
      await page.getByRole('textbox', { name: 'Topic' }).fill('The history of tea')
      await page.screenshot({ path: `${out}/${name}-1-start-options.png`, fullPage: true })
      await page.evaluate(() =>
        localStorage.setItem(
          'inkflow.jobs',
          JSON.stringify([
            {
              id: 'j1',
              ownerToken: 'x'.repeat(43),
              topic: 'The history of tea',
              createdAt: new Date().toISOString(),
            },
          ]),
        ),
      )
      await page.goto(`${spa.origin}/#/jobs/j1`)
      await page.getByTestId('outline-editor').waitFor()
      await page.screenshot({ path: `${out}/${name}-2-review-editor.png`, fullPage: true })
      await page.getByRole('button', { name: 'Remove section 5' }).click()
      await page.getByRole('button', { name: 'Remove section 4' }).click()
      await page.getByRole('textbox', { name: 'Section 2' }).fill('  ')
      await page.getByRole('button', { name: 'Write it' }).click()
      await page.screenshot({ path: `${out}/${name}-3-review-invalid.png`, fullPage: true })
      await page.getByRole('textbox', { name: 'Section 2' }).fill('Trade')
      await page.getByRole('button', { name: 'Write it' }).click()
      await page.getByTestId('review-error').waitFor()
      await page.screenshot({ path: `${out}/${name}-4-review-409.png`, fullPage: true })
      await context.close()
      const reader = await browser.newContext({ viewport: { width, height }, colorScheme: scheme })
      const rpage = await reader.newPage()
      await rpage.goto(`${spa.origin}/#/jobs/j1`)
      await rpage.getByText('Waiting for the author').waitFor()
      await rpage.screenshot({ path: `${out}/${name}-5-review-reader.png`, fullPage: true })
      await reader.close()
    }
  }
  console.log(`screenshots in ${out}`)
} finally {
  await browser.close()
  await spa.close()
  api.closeAllConnections()
  api.close()
}
