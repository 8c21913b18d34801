import type { OutlineApproval } from '@inkflow/shared'
import type { ApiClient } from '../api/api-client.js'
import { pageStorage } from '../api/browser-storage.js'
import { followJobEvents, type JobStream, type StreamState } from '../api/event-stream.js'
import { applyEvent } from './apply-event.js'
import { createJobSnapshots } from './job-snapshot.js'
import { emptyJobView, type JobView } from './job-view.js'

/** How often, at most, the view is written to `sessionStorage` while tokens stream in. */
const SAVE_EVERY_MS = 250

/**
 * One job page's live state: the view folded from the job's events, the connection's state
 * and any bad frames. Resumes from the view saved in `sessionStorage` when there is one.
 */
export class JobSession {
  view: JobView = $state(emptyJobView(''))
  connection: StreamState = $state({ kind: 'connecting', attempt: 0 })
  /** The last frame that failed validation, for the page to report. */
  badFrame: string | null = $state(null)
  /** Whether the view was restored from a snapshot (for tests and the curious). */
  resumedFromSeq = $state(0)

  #stream: JobStream | undefined
  #saveTimer: ReturnType<typeof setTimeout> | undefined
  readonly #snapshots = createJobSnapshots(pageStorage('sessionStorage'))
  readonly #flush = () => this.#save()

  constructor(
    private readonly api: ApiClient,
    readonly jobId: string,
    private readonly heartbeatMs = 15_000,
  ) {
    const saved = this.#snapshots.load(jobId)
    this.view = saved ?? emptyJobView(jobId)
    this.resumedFromSeq = saved?.lastSeq ?? 0
  }

  /** Starts following the stream (after the saved seq, if any). */
  start(): void {
    addEventListener('pagehide', this.#flush)
    this.#stream = followJobEvents({
      url: this.api.eventsUrl(this.jobId),
      lastSeq: this.view.lastSeq,
      idleTimeoutMs: this.heartbeatMs * 3,
      onEvent: (event) => {
        applyEvent(this.view, event)
        this.#scheduleSave()
      },
      onState: (state) => {
        this.connection = state
      },
      onInvalid: (error) => {
        console.warn('inkflow: skipped a bad event frame', error)
        this.badFrame = error.message
      },
    })
  }

  /** Asks the API to cancel; the stream then brings `job.cancelled`. */
  cancel(): Promise<void> {
    return this.api.cancelJob(this.jobId)
  }

  /** Approves the outline as given; the stream then brings `outline.approved`. */
  async approveOutline(outline: OutlineApproval): Promise<void> {
    await this.api.approveOutline(this.jobId, outline)
  }

  stop(): void {
    this.#stream?.stop()
    removeEventListener('pagehide', this.#flush)
    this.#save()
  }

  #scheduleSave() {
    this.#saveTimer ??= setTimeout(() => this.#save(), SAVE_EVERY_MS)
  }

  #save() {
    clearTimeout(this.#saveTimer)
    this.#saveTimer = undefined
    if (this.view.lastSeq > 0) this.#snapshots.save($state.snapshot(this.view))
  }
}
