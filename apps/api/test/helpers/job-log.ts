import type { ProgressEvent } from '@inkflow/shared'
import { readStream } from './sse-reader.js'
import { createJob } from './test-server.js'

/** Runs one job to its end on the server at `baseUrl` and returns its whole event log. */
export async function runJob(baseUrl: string, topic: string): Promise<ProgressEvent[]> {
  const id = await createJob(baseUrl, topic)
  return (await readStream(`${baseUrl}/api/jobs/${id}/events`)).events
}

/** The text of section `index` as its `token` events tell it, in order. */
export const sectionText = (events: ProgressEvent[], index: number) =>
  events
    .flatMap((e) =>
      e.type === 'token' && e.step === 'content' && e.index === index ? [e.text] : [],
    )
    .join('')
