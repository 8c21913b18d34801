import { type ProgressEvent, ProgressEventSchema } from '@inkflow/shared'
import { createParser } from 'eventsource-parser'
import { applyEvent } from '../../src/lib/state/apply-event.js'
import { emptyJobView, type JobView } from '../../src/lib/state/job-view.js'

/** Every event of a finished job, read straight from the API (the stream ends after the last). */
export async function readAllEvents(apiBaseUrl: string, jobId: string): Promise<ProgressEvent[]> {
  const response = await fetch(`${apiBaseUrl}/api/jobs/${jobId}/events`, {
    signal: AbortSignal.timeout(20_000),
  })
  const events: ProgressEvent[] = []
  const parser = createParser({
    onEvent: (message) => events.push(ProgressEventSchema.parse(JSON.parse(message.data))),
  })
  parser.feed(await response.text())
  return events
}

/** What the page should show after applying events 1..`seq`: the server's truth. */
export function viewAt(events: ProgressEvent[], seq: number): JobView {
  const view = emptyJobView(events[0]?.jobId ?? '')
  for (const event of events) if (event.seq <= seq) applyEvent(view, event)
  return view
}
