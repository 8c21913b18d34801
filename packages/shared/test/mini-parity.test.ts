import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import * as classic from '../src/index.js'
import * as mini from '../src/mini/index.js'

/** Every schema the browser has a `zod/mini` twin of, paired with its classic original. */
const PAIRS = Object.keys(mini)
  .filter((name) => name.endsWith('Schema'))
  .map(
    (name) =>
      [
        name,
        (classic as Record<string, unknown>)[name],
        (mini as Record<string, unknown>)[name],
      ] as const,
  )

const jsonSchema = (schema: unknown, io: 'input' | 'output') =>
  z.toJSONSchema(schema as z.ZodType, { target: 'draft-2020-12', io, unrepresentable: 'any' })

describe('the zod/mini twins (the browser’s schemas)', () => {
  it('exist for the schemas the browser parses', () => {
    expect(PAIRS.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'ProgressEventSchema',
        'JobSchema',
        'JobListSchema',
        'JobAcceptedSchema',
        'JobCreatedSchema',
        'ServerConfigSchema',
        'ProblemSchema',
      ]),
    )
  })

  it.each(PAIRS)('%s accepts exactly what the classic schema accepts', (_name, original, twin) => {
    expect(original).toBeDefined()
    for (const io of ['input', 'output'] as const) {
      expect(jsonSchema(twin, io)).toEqual(jsonSchema(original, io))
    }
  })

  it('agree on real events, good and bad', () => {
    const base = { jobId: 'j', seq: 1, ts: '2026-01-01T00:00:00.000Z', progress: 5 }
    const samples = [
      { ...base, type: 'token', step: 'style', text: 'Hi' },
      { ...base, type: 'token', step: 'content', index: 2, text: 'Hi' },
      { ...base, type: 'token', step: 'content', index: -1, text: 'Hi' },
      { ...base, seq: 0, type: 'job.started', attempt: 1 },
      { ...base, ts: 'yesterday', type: 'job.started', attempt: 1 },
      { ...base, progress: 101, type: 'job.cancelled' },
      { ...base, type: 'job.queued', topic: 'x'.repeat(201) },
      { ...base, type: 'no.such.event' },
    ]
    for (const sample of samples) {
      const a = classic.ProgressEventSchema.safeParse(sample)
      const b = mini.ProgressEventSchema.safeParse(sample)
      expect(b.success).toBe(a.success)
      expect(b.data).toEqual(a.data)
    }
  })

  it('infer the main entry’s types', () => {
    expectTypeOf<z.infer<typeof mini.ProgressEventSchema>>().toEqualTypeOf<classic.ProgressEvent>()
    expectTypeOf<z.infer<typeof mini.JobSchema>>().toEqualTypeOf<classic.Job>()
    expectTypeOf<z.infer<typeof mini.JobListSchema>>().toEqualTypeOf<classic.JobList>()
    expectTypeOf<z.infer<typeof mini.ServerConfigSchema>>().toEqualTypeOf<classic.ServerConfig>()
    expectTypeOf<z.infer<typeof mini.ProblemSchema>>().toEqualTypeOf<classic.Problem>()
    expectTypeOf<z.infer<typeof mini.JobAcceptedSchema>>().toEqualTypeOf<classic.JobAccepted>()
    expectTypeOf<z.infer<typeof mini.JobCreatedSchema>>().toEqualTypeOf<classic.JobCreated>()
  })
})
