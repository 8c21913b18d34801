/**
 * `@inkflow/shared/mini`: the schemas the browser parses, written with `zod/mini`, plus the
 * zod-free constants it needs. Same names as the main entry's; the types are the main
 * entry's own (a type import costs the bundle nothing).
 */
export type {
  Article,
  ArticleSection,
  EventOf,
  Job,
  JobAccepted,
  JobCreated,
  JobError,
  JobList,
  JobStatus,
  JobSummary,
  LlmProviderName,
  Problem,
  ProgressEvent,
  ProgressEventType,
  ServerConfig,
  Step,
  Usage,
} from '../index.js'
export { OWNER_TOKEN_MIN_LENGTH, TOPIC_MAX_LENGTH } from '../limits.js'
export { isTerminalEvent, TERMINAL_EVENT_TYPES, type TerminalEventType } from '../terminal.js'
export {
  JobAcceptedSchema,
  JobCreatedSchema,
  JobListSchema,
  LlmProviderNameSchema,
  ServerConfigSchema,
} from './api.js'
export {
  JobCancelledEventSchema,
  JobCompletedEventSchema,
  JobFailedEventSchema,
  JobQueuedEventSchema,
  JobRetryingEventSchema,
  JobStartedEventSchema,
  OutlineReadyEventSchema,
  ProgressEventSchema,
  SectionCompletedEventSchema,
  SectionStartedEventSchema,
  StepCompletedEventSchema,
  StepStartedEventSchema,
  TokenEventSchema,
} from './events.js'
export {
  ArticleSchema,
  ArticleSectionSchema,
  JobErrorSchema,
  JobSchema,
  JobStatusSchema,
  JobSummarySchema,
  StepSchema,
  UsageSchema,
} from './job.js'
export { ProblemSchema } from './problem.js'
