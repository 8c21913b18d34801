export {
  type JobAccepted,
  JobAcceptedSchema,
  type JobCreated,
  JobCreatedSchema,
  JobListSchema,
  type LlmProviderName,
  type ServerConfig,
  ServerConfigSchema,
} from './api.js'
export {
  type DistributiveOmit,
  isTerminalEvent,
  type NewProgressEvent,
  type ProgressEvent,
  ProgressEventSchema,
} from './events.js'
export {
  type Article,
  ArticleSchema,
  type ArticleSection,
  ArticleSectionSchema,
  isTerminalStatus,
  type Job,
  type JobError,
  JobErrorSchema,
  type JobOptions,
  JobOptionsSchema,
  JobSchema,
  type JobStatus,
  JobStatusSchema,
  type JobSummary,
  type Length,
  type Outline,
  OutlineSchema,
  type Step,
  type Tone,
  type Usage,
  UsageSchema,
} from './job.js'
export {
  ARTICLE_TITLE_MAX_LENGTH,
  AUDIENCE_MAX_LENGTH,
  DEFAULT_JOB_OPTIONS,
  OUTLINE_MAX_SECTIONS,
  OUTLINE_MIN_SECTIONS,
  SECTION_TITLE_MAX_LENGTH,
  TOPIC_MAX_LENGTH,
} from './limits.js'
export { PROBLEM_CONTENT_TYPE, type Problem, ProblemSchema } from './problem.js'
export {
  type CreateJobBody,
  CreateJobBodySchema,
  JobListQuerySchema,
  type OutlineApproval,
  OutlineApprovalSchema,
} from './requests.js'
export { formatComment, formatFrame, formatRetry, type SseFrame } from './sse-format.js'
