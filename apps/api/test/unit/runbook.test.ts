import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8')

describe('the README runbook', () => {
  it('shows the nginx config the tests run, as it is', () => {
    const readme = read('README.md')
    const match = /```nginx\n([\s\S]*?)```/.exec(readme)
    expect(match).not.toBeNull()
    expect(match?.[1]).toBe(read('deploy/nginx-inkflow.conf'))
  })
})
