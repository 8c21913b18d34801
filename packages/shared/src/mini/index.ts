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
  JobOptions,
  JobStatus,
  JobSummary,
  Length,
  LlmProviderName,
  Outline,
  OutlineApproval,
  Prices,
  Problem,
  ProgressEvent,
  ProgressEventType,
  RevisionOf,
  ServerConfig,
  Step,
  Tone,
  Usage,
} from '../index.js'
export {
  ARTICLE_TITLE_MAX_LENGTH,
  AUDIENCE_MAX_LENGTH,
  CONTROL_CHARACTER,
  canonicalLanguageTag,
  DEFAULT_JOB_OPTIONS,
  INSTRUCTION_MAX_LENGTH,
  isOneLine,
  LANGUAGE_TAG_MAX_LENGTH,
  OUTLINE_MAX_SECTIONS,
  OUTLINE_MIN_SECTIONS,
  OWNER_TOKEN_MIN_LENGTH,
  SECTION_TITLE_MAX_LENGTH,
  TOPIC_MAX_LENGTH,
} from '../limits.js'
export { isTerminalEvent, TERMINAL_EVENT_TYPES, type TerminalEventType } from '../terminal.js'
export {
  JobAcceptedSchema,
  JobCreatedSchema,
  JobListSchema,
  LlmProviderNameSchema,
  PricesSchema,
  ServerConfigSchema,
} from './api.js'
export {
  JobCancelledEventSchema,
  JobCompletedEventSchema,
  JobFailedEventSchema,
  JobQueuedEventSchema,
  JobRetryingEventSchema,
  JobStartedEventSchema,
  JobWaitingEventSchema,
  OutlineApprovedEventSchema,
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
  JobOptionsSchema,
  JobSchema,
  JobStatusSchema,
  JobSummarySchema,
  LengthSchema,
  OutlineSchema,
  RevisionOfSchema,
  StepSchema,
  ToneSchema,
  UsageSchema,
} from './job.js'
export { ProblemSchema } from './problem.js'
