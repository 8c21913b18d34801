/** When the server forgets a finished article: "Kept on the server until 13 December". */
export function serverKeepsUntil(expiresAt: string, now = new Date()): string {
  const at = new Date(expiresAt)
  const sameYear = at.getFullYear() === now.getFullYear()
  const date = at.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  })
  return `Kept on the server until ${date}`
}
