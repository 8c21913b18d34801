import { parse as parseYaml } from 'yaml'
import { z } from 'zod/mini'
import { LlmError } from '../../llm/llm-error.js'
import { type Outline, OutlineSchema } from './article-state.js'

/** Models often wrap YAML in a code fence or name sections as objects; both are accepted. */
const LooseOutlineSchema = z.object({
  title: z.string().check(z.trim(), z.minLength(1)),
  sections: z.pipe(
    z.array(
      z.union([
        z.string(),
        z.pipe(
          z.object({ title: z.string() }),
          z.transform((s) => s.title),
        ),
      ]),
    ),
    z.transform((s) => s.map((t) => t.trim()).filter(Boolean)),
  ),
})

/** Parses the outline step's YAML; malformed output is a retryable `llm_bad_output`. */
export function parseOutline(text: string): Outline {
  const unfenced = text.replace(/^\s*```[a-z]*\s*\n/i, '').replace(/\n```\s*$/, '')
  let data: unknown
  try {
    data = parseYaml(unfenced)
  } catch (err) {
    throw new LlmError('llm_bad_output', 'the outline was not valid YAML', {
      retryable: true,
      cause: err,
    })
  }
  const loose = LooseOutlineSchema.safeParse(data)
  const outline = loose.success
    ? OutlineSchema.safeParse({
        title: loose.data.title,
        sections: loose.data.sections.slice(0, 6),
      })
    : undefined
  if (!outline?.success) {
    throw new LlmError('llm_bad_output', 'the outline did not have a title and 3 to 6 sections', {
      retryable: true,
    })
  }
  return outline.data
}
