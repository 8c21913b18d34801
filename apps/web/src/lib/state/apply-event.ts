import type { ProgressEvent, Step } from '@inkflow/shared'
import { type JobView, type SectionView, STEPS } from './job-view.js'

const STEP_ACTIVITY: Record<Step, string> = {
  outline: 'Planning the outline…',
  content: 'Writing the sections…',
  style: 'Polishing the style…',
  revise: 'Rewriting the section…',
}

function section(view: JobView, index: number, title = ''): SectionView {
  view.sections[index] ??= { title, state: 'pending', text: '' }
  return view.sections[index]
}

/** The outline's sections, keeping what is known of each (nothing, before the content step). */
function setOutline(view: JobView, title: string, sections: string[]) {
  view.title = title
  view.sections = sections.map((title, i) => ({
    title,
    state: view.sections[i]?.state ?? 'pending',
    text: view.sections[i]?.text ?? '',
  }))
}

function startStep(view: JobView, step: Step) {
  const at = STEPS.indexOf(step)
  for (const [i, s] of STEPS.entries()) {
    if (i < at) view.steps[s] = 'done'
  }
  view.steps[step] = 'active'
}

/** A job that ended unfinished: nothing it was doing goes on, so nothing says so. */
function stopWork(view: JobView) {
  for (const s of [...STEPS, 'revise'] as const)
    if (view.steps[s] === 'active') view.steps[s] = 'stopped'
  for (const s of view.sections) if (s.state === 'writing') s.state = 'stopped'
  if (view.revision?.state === 'writing') view.revision.state = 'stopped'
}

/**
 * Applies one event to the view, in place (so a Svelte `$state` proxy updates only what
 * changed). The caller applies each seq at most once and in order.
 */
export function applyEvent(view: JobView, event: ProgressEvent): void {
  view.lastSeq = event.seq
  view.progress = Math.max(view.progress, event.progress)
  switch (event.type) {
    case 'job.queued':
      view.topic = event.topic
      view.options = event.options
      view.revisionOf = event.revisionOf ?? null
      view.activity = 'Waiting in the queue…'
      break
    case 'job.started':
      view.status = 'running'
      view.attempt = event.attempt
      view.activity = event.attempt > 1 ? `Resuming (attempt ${event.attempt})…` : 'Starting…'
      break
    case 'step.started':
      // A step runs only in a running job, whatever came before it (an approval, say).
      if (view.status === 'queued' || view.status === 'waiting') view.status = 'running'
      startStep(view, event.step)
      // The style pass rewrites the whole draft: its text starts from nothing.
      if (event.step === 'style') view.polished = ''
      view.activity = STEP_ACTIVITY[event.step]
      break
    case 'step.completed':
      view.steps[event.step] = 'done'
      break
    case 'outline.ready':
      setOutline(view, event.title, event.sections)
      view.activity = `Outline ready: ${event.sections.length} sections`
      break
    case 'job.waiting':
      view.status = 'waiting'
      view.steps.outline = 'done'
      view.review = { state: 'waiting', expiresAt: event.expiresAt }
      view.activity = 'Waiting for the outline to be approved'
      break
    case 'outline.approved':
      // What will be written replaces the proposal; the job waits for a worker again.
      setOutline(view, event.title, event.sections)
      view.review = { state: 'approved', edited: event.edited }
      if (view.status === 'waiting') view.status = 'queued'
      view.activity = `Outline approved: ${event.sections.length} sections to write`
      break
    case 'section.started': {
      if (view.revisionOf) {
        // A revision rewrites one section of the article it revises, from scratch each time.
        view.revision = { index: event.index, title: event.title, state: 'writing', text: '' }
        view.activity = `Rewriting “${event.title}”…`
        break
      }
      // A repeat (a retry, or a resume after a crash) writes the section again from scratch.
      const s = section(view, event.index)
      Object.assign(s, { title: event.title, state: 'writing', text: '' })
      view.activity = `Writing “${event.title}” (${event.index + 1} of ${view.sections.length})…`
      break
    }
    case 'token':
      if (event.step === 'style') view.polished += event.text
      else if (event.step === 'revise' && view.revision) view.revision.text += event.text
      else if (event.step === 'content' && event.index !== undefined) {
        section(view, event.index).text += event.text
      }
      break
    case 'section.completed': {
      if (view.revisionOf && view.revision) {
        view.revision.state = 'done'
        if (view.revision.text.trim() === '') view.revision.text = event.content
        break
      }
      const s = section(view, event.index, event.title)
      s.state = 'done'
      if (s.text.trim() === '') s.text = event.content
      break
    }
    case 'job.retrying':
      view.activity = `The model stumbled (${event.reason}); retrying in ${Math.ceil(event.delayMs / 1000)} s…`
      break
    case 'job.completed':
      view.status = 'completed'
      view.article = event.article
      view.usage = event.usage ?? null
      view.title = event.article.title
      if (view.revisionOf) view.steps.revise = 'done'
      else for (const s of STEPS) view.steps[s] = 'done'
      view.progress = 100
      view.activity = 'Finished'
      break
    case 'job.failed':
      view.status = 'failed'
      view.error = event.error
      view.activity = 'Failed'
      stopWork(view)
      break
    case 'job.cancelled':
      view.status = 'cancelled'
      view.cancelReason = event.reason ?? null
      view.activity = event.reason ? `Cancelled: ${event.reason}` : 'Cancelled'
      stopWork(view)
      break
  }
}
